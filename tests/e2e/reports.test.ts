/**
 * Reports end to end on the embedded runtime: a synthetic dataset submitted through the API, normalized and
 * aggregated, then the report families read over HTTP — unprotected by a coordinator and compared entry by entry
 * (cells, every margin, the total) with the reference computation from the dataset's truth; protected for an
 * analyst; and every unprotected read found in the audit log.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreQuery } from '@mosy/core';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone } from '@mosy/standalone';
import {
  entryId,
  expectedTable,
  generateDataset,
  publishedTable as published,
  type PublishedTableBody,
} from '@mosy/testkit';
import { createClient, expectStatus, type Client } from './lib/client.js';
import { issueKey, registerProviders, submitAll, waitIdle } from './lib/load.js';

const dataset = generateDataset({ seed: 424_242, persons: 300, years: [2024, 2025] });
const REGISTERED = ['IDENTIFIED', 'PRESUMED'];

type Table = PublishedTableBody;

const expected = (query: StoreQuery): Map<string, number> => expectedTable(dataset.truth, query);

const victims = (query: Partial<StoreQuery>): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: [],
  ...query,
  filters: { status: REGISTERED, ...query.filters },
});

describe('reports on the embedded runtime', () => {
  let app: Standalone;
  let client: Client;
  let coordinatorKey: string;
  let analystKey: string;

  beforeAll(async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'mosy-e2e-reports-')), 'data');
    app = await startStandalone({
      dataDir,
      port: 0,
      adminToken: 'e2e-reports-admin-token',
      pseudonymSecret: 'e2e-pseudonym-secret-of-at-least-32-bytes',
      logger: createLogger({ name: 'mosy', level: 'silent' }),
      // The suite reads every report at full speed with one key; the rate limit has its own unit test.
      hardening: { rateLimitPerMinute: 1_000_000 },
    });
    client = createClient(app.url);
    const providerKeys = await registerProviders(client, app.adminToken, dataset);
    coordinatorKey = (await issueKey(client, app.adminToken, 'coordinator')).key;
    analystKey = (await issueKey(client, app.adminToken, 'analyst')).key;
    const load = await submitAll(client, dataset, providerKeys);
    expect(load.rejections).toEqual([]);
    await waitIdle(client, coordinatorKey);
  });
  afterAll(async () => {
    await app.close();
  });

  const unprotected = async (path: string): Promise<Record<string, unknown>> =>
    expectStatus(
      await client.request<Record<string, unknown>>('GET', `${path}&protection=none`, {
        key: coordinatorKey,
      }),
      200,
      path,
    );

  const cases: [string, StoreQuery][] = [
    ['/v1/reports/simple/victims?by=sex,ageClass', victims({ by: ['sex', 'ageClass'] })],
    [
      '/v1/reports/simple/victims?by=exploitation,sex&providers=type:NGO,type:POLICE&from=2025&to=2025',
      victims({
        by: ['exploitation', 'sex'],
        filters: { providerType: ['NGO', 'POLICE'] },
        from: '2025-01-01',
        to: '2025-12-31',
      }),
    ],
    [
      '/v1/reports/time-frame/victims?by=ageClass&interval=quarter&from=2024&to=2024',
      victims({ by: ['ageClass'], interval: 'quarter', from: '2024-01-01', to: '2024-12-31' }),
    ],
    [
      '/v1/reports/geo/victims?level=2&geo=PT1',
      victims({ by: ['regionOfIdentification'], geoLevel: 2, filters: { regionOfIdentification: ['PT1'] } }),
    ],
    [
      '/v1/reports/geo/suspects?geoField=regionOfExploitation&level=1',
      { kind: 'suspect', unit: 'persons', by: ['regionOfExploitation'], geoLevel: 1, filters: {} },
    ],
  ];
  for (const [path, query] of cases)
    it(`${path} equals the reference, entry by entry`, async () => {
      const table = (await unprotected(path)) as unknown as Table;
      const reference = expected(query);
      expect(published(table)).toEqual(reference);
      expect(reference.get(entryId({}))).toBeGreaterThan(0);
    });

  it('total report: each provider, the combination counted once per person, records beside', async () => {
    const body = await unprotected('/v1/reports/total/victims?by=sex');
    expect(published(body.persons as Table)).toEqual(expected(victims({ by: ['providerId', 'sex'] })));
    expect(published(body.records as Table)).toEqual(
      expected(victims({ by: ['providerId', 'sex'], unit: 'records' })),
    );
  });

  it('protects analysts and audits every unprotected read', async () => {
    const analyst = await client.request<Table>('GET', '/v1/reports/simple/victims?by=sex,ageGroup', {
      key: analystKey,
    });
    const table = expectStatus(analyst, 200, 'analyst report');
    const truth = expected(victims({ by: ['sex', 'ageGroup'] }));
    // The cell key method: within ±2 of the truth, withheld below the threshold before or after perturbation.
    expect((table as Table & { disclosure: { method: string } }).disclosure.method).toBe('cell-key');
    for (const [id, value] of published(table)) {
      const actual = truth.get(id)!;
      if (actual > 0 && actual < 5) expect(value).toBeNull();
      if (value !== null) expect(Math.abs(value - actual)).toBeLessThanOrEqual(2);
      if (value !== null && actual > 0) expect(value).toBeGreaterThanOrEqual(5);
    }
    expect(
      (await client.request('GET', '/v1/reports/simple/victims?by=sex&protection=none', { key: analystKey }))
        .status,
    ).toBe(403);
    const audit = expectStatus(
      await client.request<{ entries: { resource: string; role: string; action: string }[] }>(
        'GET',
        '/v1/audit',
        {
          key: coordinatorKey,
        },
      ),
      200,
      'audit',
    );
    // One entry per unprotected read of this suite (the cases and the total report), all by coordinators; the
    // analyst's request for unprotected values was refused, and the refusal is audited too.
    const refused = audit.entries.filter((e) => e.action === 'refused-unprotected');
    const reads = audit.entries.filter((e) => e.action !== 'refused-unprotected');
    expect(reads).toHaveLength(cases.length + 1);
    expect(reads.every((e) => e.role === 'coordinator')).toBe(true);
    expect(refused.map((e) => e.role)).toEqual(['analyst']);
  });
});
