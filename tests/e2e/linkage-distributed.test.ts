/**
 * Fuzzy person linkage on the distributed runtime (docs/linkage.md): two normalizer replicas split the submissions
 * partitions and both publish to the one-partition linkage topic; two aggregator processes each run a linker, one
 * of which owns that partition. The linkage corpus (lib/linkage.ts) goes through the HTTP API with
 * MOSY_LINKAGE=fuzzy: the persons counted are within 1 % of the generator's truth and nearer to it than the exact
 * pseudonym's count; and, since the replicas' records reach the one linker as one stream, exactly the persons the
 * pure linker makes of the corpus in the order the linker stored them (the order itself is not fixed, so the
 * embedded test's figure is not asserted); a bridging record merges two persons, visible in `/v1/status` and the audit
 * log; no encoding (hex or base64) is in any response, any service's log, or any ClickHouse table but
 * `linkage_encodings`.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkageEncoder, createLinker, personKeyOf } from '@mosy/core';
import { sweepApi } from './lib/canaries.js';
import { createClient, expectStatus, type Client } from './lib/client.js';
import { startDistributed, type DistributedSystem } from './lib/distributed.js';
import { encodingNeedles, findLeaks, tempFile } from './lib/leaks.js';
import { BATCH, BRIDGE, CORPUS, PROVIDERS, SECRET, submissionOf, type LinkageStatus } from './lib/linkage.js';
import { waitIdle } from './lib/load.js';

describe('fuzzy person linkage through the distributed runtime', () => {
  let system: DistributedSystem;
  let client: Client;
  let coordinator: string;
  let analyst: string;
  const keys = new Map<string, string>();
  const submissionIds: string[] = [];

  const persons = async (): Promise<number> =>
    expectStatus(
      await client.request<{ total: number }>(
        'GET',
        '/v1/indicators/victims/values?unit=persons&protection=none',
        { key: coordinator },
      ),
      200,
      'persons',
    ).total;
  const status = async (): Promise<LinkageStatus> =>
    expectStatus(
      await client.request<LinkageStatus>('GET', '/v1/status', { key: coordinator }),
      200,
      'status',
    );
  const clickhouse = async (sql: string): Promise<string> => {
    const reply = await fetch(system.env.MOSY_CLICKHOUSE_URL!, { method: 'POST', body: sql });
    expect(reply.status, sql).toBe(200);
    return reply.text();
  };
  const submit = async (provider: string, records: Record<string, unknown>[]) => {
    const receipt = expectStatus(
      await client.request<{ submissionId: string; accepted: number }>('POST', '/v1/submissions', {
        key: keys.get(provider)!,
        json: { records },
      }),
      202,
      `${provider} batch`,
    );
    expect(receipt.accepted).toBe(records.length);
    submissionIds.push(receipt.submissionId);
  };

  beforeAll(async () => {
    system = await startDistributed({
      normalizers: 2,
      aggregators: 2,
      env: { MOSY_LINKAGE: 'fuzzy', MOSY_PSEUDONYM_SECRET: SECRET },
    });
    client = createClient(system.url);
    for (const id of [...PROVIDERS, 'bridge-ngo']) {
      const reply = await client.request<{ key: string }>('POST', '/v1/admin/providers', {
        key: system.adminToken,
        json: { id, type: 'NGO', name: `Linkage test ${id}`, mapping: 'htcds-2.0' },
      });
      keys.set(id, expectStatus(reply, 201, `register ${id}`).key);
    }
    const issue = async (role: string) =>
      expectStatus(
        await client.request<{ key: string }>('POST', '/v1/admin/keys', {
          key: system.adminToken,
          json: { role, label: `linkage ${role}` },
        }),
        201,
        `${role} key`,
      ).key;
    coordinator = await issue('coordinator');
    analyst = await issue('analyst');
    for (const provider of PROVIDERS) {
      const records = CORPUS.records.filter((r) => r.providerId === provider);
      for (let i = 0; i < records.length; i += BATCH)
        await submit(
          provider,
          records.slice(i, i + BATCH).map((r) => submissionOf(r.recordId, r.identity)),
        );
    }
    await waitIdle(client, coordinator);
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('counts the persons the linker makes of the one stream, within 1 % of the truth, nearer than exact', async () => {
    const exact = new Set(
      CORPUS.records.map((r) =>
        personKeyOf({ secret: SECRET, providerId: r.providerId, recordId: r.recordId, identity: r.identity }),
      ),
    ).size;
    const counted = await persons();
    // The two replicas' records reached the linker as one stream: linked here in the order it stored them
    // (linkage_encodings' seq), the pure linker makes exactly as many persons as the runtime counts.
    const order = (
      await clickhouse(
        `SELECT provider_id, record_id FROM ${system.database}.linkage_encodings FINAL ORDER BY seq FORMAT TSV`,
      )
    )
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'));
    expect(order).toHaveLength(CORPUS.records.length);
    const byRef = new Map(CORPUS.records.map((r) => [`${r.providerId}\t${r.recordId}`, r]));
    const linker = createLinker(SECRET);
    const encoder = createLinkageEncoder(SECRET);
    for (const [providerId, recordId] of order)
      linker.link(
        { providerId: providerId!, recordId: recordId! },
        encoder.encode(byRef.get(`${providerId}\t${recordId}`)!.identity)!,
      );
    expect(counted).toBe(linker.persons);
    expect(Math.abs(counted - CORPUS.persons) / CORPUS.persons).toBeLessThanOrEqual(0.01);
    expect(Math.abs(counted - CORPUS.persons)).toBeLessThan(Math.abs(exact - CORPUS.persons));
    const { linkage, idle } = await status();
    expect(idle).toBe(true);
    expect(linkage).toMatchObject({ mode: 'fuzzy', backlog: 0 });
  });

  it('shows a bridging record that merges two persons in the status and the audit log', async () => {
    const before = await persons();
    const { merges, revisedRecords } = (await status()).linkage;
    const since = Date.now();
    for (const [i, identity] of [BRIDGE.first, BRIDGE.second].entries())
      await submit('bridge-ngo', [submissionOf(`bridge-${i + 1}`, identity)]);
    await waitIdle(client, coordinator);
    expect(await persons()).toBe(before + 2);
    await submit('bridge-ngo', [submissionOf('bridge-3', BRIDGE.bridge)]);
    await waitIdle(client, coordinator);
    expect(await persons()).toBe(before + 1);
    expect((await status()).linkage).toEqual({
      mode: 'fuzzy',
      merges: merges + 1,
      revisedRecords: revisedRecords + 1,
      backlog: 0,
    });
    const audit = expectStatus(
      await client.request<{ entries: Record<string, unknown>[] }>('GET', `/v1/audit?since=${since}`, {
        key: system.adminToken,
      }),
      200,
      'audit',
    );
    expect(audit.entries.filter((e) => e.action === 'linkage-regrouping')).toEqual([
      expect.objectContaining({ keyId: 'linker', query: 'reason=merge&revisedRecords=1' }),
    ]);
  }, 120_000);

  it('puts no encoding in any response, service log or ClickHouse table but linkage_encodings', async () => {
    const encoder = createLinkageEncoder(SECRET);
    const needles = encodingNeedles([
      ...CORPUS.records.map((r) => encoder.encode(r.identity)!),
      ...Object.values(BRIDGE).map((identity) => encoder.encode(identity)!),
    ]);
    expect(await findLeaks(needles, [tempFile('probe.bin', `\u0000${needles[0]!}\u0000`)])).toHaveLength(1);
    const { ok } = await sweepApi(client, {
      keys: {
        provider: keys.get(PROVIDERS[0]!)!,
        providerId: PROVIDERS[0]!,
        analyst,
        coordinator,
        admin: system.adminToken,
      },
      submissionIds,
    });
    expect(ok).toBeGreaterThan(60);
    const logs = system.services.map((s) => s.logFile);
    expect(logs.map((file) => readFileSync(file, 'utf8')).join('')).toContain('linker rebuilt');
    expect(await findLeaks(needles, [tempFile('responses.txt', client.bodies.join('\n')), ...logs])).toEqual(
      [],
    );

    // ClickHouse: every table of this run's database read back row by row; the encodings are in linkage_encodings
    // (the search finds them there) and nowhere else.
    const tables = (
      await clickhouse(`SELECT name FROM system.tables WHERE database = '${system.database}' FORMAT TSV`)
    )
      .split('\n')
      .filter((name) => name !== '');
    expect(tables).toContain('person_links');
    const dump = async (table: string) =>
      clickhouse(`SELECT * FROM ${system.database}.${table} FORMAT JSONEachRow`);
    const encodingsTable = tempFile('linkage_encodings.jsonl', await dump('linkage_encodings'));
    expect(await findLeaks(needles, [encodingsTable])).not.toEqual([]);
    const others = await Promise.all(tables.filter((t) => t !== 'linkage_encodings').map(dump));
    expect(await findLeaks(needles, [tempFile('tables.jsonl', others.join('\n'))])).toEqual([]);
  }, 180_000);
});
