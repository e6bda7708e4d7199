import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, StoreQuery } from '@mosy/core';
import { referenceQuery } from '@mosy/testkit';
import { startFixture, type Fixture } from './test-support/fixture.js';
import { REGISTERED } from './test-support/expected.js';

interface ValuesBody {
  cells: Record<string, string | number | null>[];
  total: number | null;
  totalFlag?: string;
  disclosure: { method: string; threshold?: number; withheld?: number };
}

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ deps: { disclosure: { adHoc: 'suppress' } } });
});
afterAll(async () => {
  await fx.close();
});

const keyOf = (cell: Record<string, unknown>, dims: readonly string[]) =>
  dims.map((d) => String(cell[d])).join('|');

describe('indicator values, unprotected for coordinators', () => {
  const cases: {
    path: string;
    query: Omit<StoreQuery, 'kind' | 'unit'> & Partial<StoreQuery>;
    dims: string[];
  }[] = [
    { path: 'victims/values?by=sex', query: { by: ['sex'], filters: { status: REGISTERED } }, dims: ['sex'] },
    {
      path: 'victims/values?by=exploitation&providers=policia-nacional,ngo-apoio&from=2023&to=2023',
      query: {
        by: ['exploitation'],
        filters: { status: REGISTERED, providerId: ['ngo-apoio', 'policia-nacional'] },
        from: '2023-01-01',
        to: '2023-12-31',
      },
      dims: ['exploitation'],
    },
    {
      path: 'victims/values?by=regionOfIdentification&geoLevel=2&geo=PT1&providers=type:NGO',
      query: {
        by: ['regionOfIdentification'],
        filters: { status: REGISTERED, regionOfIdentification: ['PT1'], providerType: ['NGO'] },
        geoLevel: 2,
      },
      dims: ['regionOfIdentification'],
    },
    {
      path: 'victims/values?by=sex&interval=quarter&from=2024-Q1&to=2024-Q3&unit=records',
      query: {
        by: ['sex'],
        interval: 'quarter',
        from: '2024-01-01',
        to: '2024-09-30',
        unit: 'records',
        filters: { status: REGISTERED },
      },
      dims: ['sex', 'period'],
    },
    {
      path: 'suspects/values?by=organisedCrime',
      query: { kind: 'suspect', by: ['organisedCrime'], filters: {} },
      dims: ['organisedCrime'],
    },
  ];
  for (const c of cases)
    it(`equals the reference for ${c.path}`, async () => {
      const { status, body } = await fx.get(`/v1/indicators/${c.path}&protection=none`, 'coordinator');
      expect(status).toBe(200);
      const values = body as ValuesBody;
      const query: StoreQuery = { kind: 'victim', unit: 'persons', ...c.query };
      const expected = referenceQuery(fx.dataset.truth, query);
      expect(values.disclosure).toEqual({ method: 'none' });
      expect(values.total).toBe(expected.total);
      expect(expected.total).toBeGreaterThan(0);
      const published = new Map(values.cells.map((cell) => [keyOf(cell, c.dims), cell.value]));
      const reference = new Map(
        expected.cells.map((cell) => [keyOf({ ...cell.key, period: cell.period }, c.dims), cell.value]),
      );
      expect(published).toEqual(reference);
    });
});

describe('roles and audit', () => {
  it('refuses reports to provider keys', async () => {
    for (const path of [
      '/v1/indicators/victims/values',
      '/v1/reports/simple/victims?by=sex',
      '/v1/reports/total/victims',
      '/v1/reports/time-frame/victims?interval=year',
      '/v1/reports/geo/victims',
    ]) {
      const { status, body } = await fx.get(path, 'provider');
      expect(status).toBe(403);
      expect((body as { code: string }).code).toBe('forbidden');
    }
  });

  it('never gives an analyst unprotected values', async () => {
    for (const path of [
      '/v1/indicators/victims/values?protection=none',
      '/v1/reports/simple/victims?by=sex&protection=none',
      '/v1/reports/total/victims?protection=none',
      '/v1/reports/time-frame/victims?interval=year&protection=none',
      '/v1/reports/geo/victims?protection=none',
      '/v1/reports/quality?protection=none',
    ]) {
      const { status } = await fx.get(path, 'analyst');
      expect(status).toBe(403);
    }
  });

  it('protects analysts: small counts withheld with the flag c (suppression configured for ad-hoc queries)', async () => {
    const { status, body } = await fx.get('/v1/indicators/victims/values?by=citizenship', 'analyst');
    expect(status).toBe(200);
    const values = body as ValuesBody;
    const truth = referenceQuery(fx.dataset.truth, {
      kind: 'victim',
      unit: 'persons',
      by: ['citizenship'],
      filters: { status: REGISTERED },
    });
    expect(values.disclosure.method).toBe('suppression');
    const small = truth.cells.filter((c) => c.value > 0 && c.value < 5).length;
    expect(small).toBeGreaterThan(0);
    const withheld = values.cells.filter((c) => c.value === null);
    expect(withheld.length).toBeGreaterThanOrEqual(small);
    expect(withheld.every((c) => c.flag === 'c')).toBe(true);
    for (const cell of values.cells) {
      const expected = truth.cells.find((c) => c.key.citizenship === cell.citizenship)!.value;
      if (cell.value !== null) expect(cell.value).toBe(expected);
      else expect(expected).toBeGreaterThan(0);
      if (expected > 0 && expected < 5) expect(cell.value).toBeNull();
    }
  });

  it('audits every unprotected read by a coordinator, and no protected one', async () => {
    const before = (await fx.audit.list()).length;
    await fx.get('/v1/indicators/victims/values?by=sex', 'coordinator');
    await fx.get('/v1/indicators/victims/values?by=sex', 'analyst');
    expect((await fx.audit.list()).length).toBe(before);
    const paths = [
      '/v1/indicators/victims/values?by=ageGroup&protection=none',
      '/v1/reports/simple/victims?by=sex,ageClass&protection=none',
      '/v1/reports/total/victims?protection=none',
      '/v1/reports/time-frame/victims?interval=year&protection=none',
      '/v1/reports/geo/victims?level=1&protection=none',
      '/v1/reports/quality?protection=none',
    ];
    for (const path of paths) expect((await fx.get(path, 'coordinator')).status).toBe(200);
    const { status, body } = await fx.get(`/v1/audit?limit=${paths.length}`, 'coordinator');
    expect(status).toBe(200);
    const entries = (body as { entries: AuditEntry[] }).entries;
    expect(entries.map((e) => `${e.resource}?${e.query}`)).toEqual([...paths].reverse());
    expect(entries.every((e) => e.keyId === 'key-coordinator' && e.role === 'coordinator')).toBe(true);
    expect(entries.every((e) => e.action === 'read-unprotected')).toBe(true);
    expect((await fx.audit.list()).length).toBe(before + paths.length);
  });

  it('does not audit a query that is refused', async () => {
    const before = (await fx.audit.list()).length;
    expect(
      (await fx.get('/v1/indicators/victims/values?by=nope&protection=none', 'coordinator')).status,
    ).toBe(400);
    expect(
      (await fx.get('/v1/reports/simple/victims?by=sex&format=xls&protection=none', 'coordinator')).status,
    ).toBe(400);
    for (const path of [
      '/v1/reports/simple/victims?by=sex&format=sdmx-csv&protection=none',
      '/v1/indicators/victims/values?by=sex&format=sdmx-csv&protection=none',
      '/v1/reports/total/victims?format=sdmx-csv&protection=none',
    ])
      expect((await fx.get(path, 'coordinator')).status).toBe(400);
    expect((await fx.audit.list()).length).toBe(before);
  });

  it('shows the audit log to coordinators and admins only', async () => {
    expect((await fx.get('/v1/audit', 'admin')).status).toBe(200);
    expect((await fx.get('/v1/audit', 'analyst')).status).toBe(403);
    expect((await fx.get('/v1/audit', 'provider')).status).toBe(403);
    expect((await fx.get('/v1/audit?limit=x', 'admin')).status).toBe(400);
  });
});
