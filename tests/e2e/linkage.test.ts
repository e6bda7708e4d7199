/**
 * Fuzzy person linkage through the whole embedded runtime over HTTP (docs/linkage.md). A seeded linkage corpus
 * (the same invented persons reaching several providers, written with typos, swapped names, transliterations, day
 * and month swapped, missing dates of birth) is submitted by six HTCDS providers to two runtimes, one with
 * `linkage: 'exact'` and one with `'fuzzy'`, and the victims counted as persons:
 * - exact: the number of distinct exact pseudonyms of the corpus, computed here from the identities;
 * - fuzzy: the number of groups the record-level linker makes of the corpus in submission order (computed here,
 *   apart from the pipeline and the store), within 1 % of the generator's true persons, and nearer to them than
 *   exact; `/v1/status` reports the linker's merges and revised records.
 * Then a bridging record (found for this secret by a search with the linker: two spellings of one person kept
 * apart until a third, correct one joins both) merges two persons: the total drops by one, `/v1/status` counts the
 * merge and the audit log holds a `linkage-regrouping` entry with counts only. Withdrawing the record that founded
 * the merged group leaves it one person, as the linker says; after a restart the linker, rebuilt from the stored
 * encodings, keeps the stored person keys (no re-grouping) and a further spelling joins the same person. Last, no encoding (hex or base64 of its bytes, or of its filter alone) is
 * in any response of any GET operation as any role, in the log, or in any table but `linkage_encodings`.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLD,
  QUARTERLY_FORMATS,
  createLinkageEncoder,
  createLinker,
  personKeyOf,
  type LinkageEncoding,
} from '@mosy/core';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone, type StandaloneOptions } from '@mosy/standalone';
import type { LinkageCorpusRecord } from '@mosy/testkit';
import { sweepApi } from './lib/canaries.js';
import { createClient, expectStatus } from './lib/client.js';
import { dumpDuckDb } from './lib/duckdb-dump.js';
import { encodingNeedles, findLeaks, tempFile } from './lib/leaks.js';
import { BATCH, BRIDGE, CORPUS, PROVIDERS, SECRET, submissionOf, type LinkageStatus } from './lib/linkage.js';
import { waitIdle } from './lib/load.js';

const ADMIN_TOKEN = `linkage-admin-${process.pid}-${Date.now()}`;

/** One runtime with the corpus submitted, provider by provider in batches, in the order the linker sees. */
async function startWithCorpus(
  mode: 'exact' | 'fuzzy',
  extra: Pick<StandaloneOptions, 'report' | 'hub'> = {},
) {
  const root = mkdtempSync(join(tmpdir(), `mosy-linkage-${mode}-`));
  const logFile = join(root, 'mosy.log');
  const logStream = createWriteStream(logFile);
  const start = () =>
    startStandalone({
      dataDir: join(root, 'data'),
      port: 0,
      adminToken: ADMIN_TOKEN,
      pseudonymSecret: SECRET,
      linkage: mode,
      logger: createLogger({ name: 'mosy', level: 'debug', destination: logStream }),
      hardening: { rateLimitPerMinute: 1_000_000 },
      ...extra,
    });
  const app = await start();
  const client = createClient(app.url);
  /** The running app and its client; a restart replaces both. */
  const state = { app, client };
  const keys = new Map<string, string>();
  for (const id of [...PROVIDERS, 'bridge-ngo']) {
    const reply = await client.request<{ key: string }>('POST', '/v1/admin/providers', {
      key: ADMIN_TOKEN,
      json: { id, type: 'NGO', name: `Linkage test ${id}`, mapping: 'htcds-2.0' },
    });
    keys.set(id, expectStatus(reply, 201, `register ${id}`).key);
  }
  const issue = async (role: string) =>
    expectStatus(
      await client.request<{ key: string }>('POST', '/v1/admin/keys', {
        key: ADMIN_TOKEN,
        json: { role, label: `linkage ${role}` },
      }),
      201,
      `${role} key`,
    ).key;
  const coordinator = await issue('coordinator');
  const analyst = await issue('analyst');
  const order: LinkageCorpusRecord[] = [];
  const submissionIds: string[] = [];
  // One provider after the other, each waiting for its receipt: the order records reach the linker in.
  for (const provider of PROVIDERS) {
    const records = CORPUS.records.filter((r) => r.providerId === provider);
    for (let i = 0; i < records.length; i += BATCH) {
      const batch = records.slice(i, i + BATCH);
      const receipt = expectStatus(
        await client.request<{ submissionId: string; accepted: number; rejected: number }>(
          'POST',
          '/v1/submissions',
          {
            key: keys.get(provider)!,
            json: { records: batch.map((r) => submissionOf(r.recordId, r.identity)) },
          },
        ),
        202,
        `${provider} batch`,
      );
      expect(receipt).toMatchObject({ accepted: batch.length, rejected: 0 });
      submissionIds.push(receipt.submissionId);
      order.push(...batch);
    }
  }
  await waitIdle(client, coordinator);
  const persons = async (): Promise<number> => {
    const reply = await state.client.request<{ total: number }>(
      'GET',
      '/v1/indicators/victims/values?unit=persons&protection=none',
      { key: coordinator },
    );
    return expectStatus(reply, 200, 'persons').total;
  };
  const status = async (): Promise<LinkageStatus> =>
    expectStatus(
      await state.client.request<LinkageStatus>('GET', '/v1/status', { key: coordinator }),
      200,
      'status',
    );
  const submitBridge = async (
    recordId: string,
    identity: Record<string, string>,
    version = 1,
    action: 'upsert' | 'withdraw' = 'upsert',
  ) => {
    const reply = await state.client.request<{ accepted: number }>('POST', '/v1/submissions', {
      key: keys.get('bridge-ngo')!,
      json: { records: [submissionOf(recordId, identity, version, action)] },
    });
    expect(expectStatus(reply, 202, `bridge ${recordId}`).accepted).toBe(1);
    await waitIdle(state.client, coordinator);
  };
  return {
    get client() {
      return state.client;
    },
    root,
    order,
    persons,
    status,
    submitBridge,
    logFile,
    keys: { coordinator, analyst, provider: keys.get(PROVIDERS[0]!)! },
    submissionIds,
    async restart() {
      await state.app.close();
      state.app = await start();
      state.client = createClient(state.app.url);
    },
    async close() {
      await state.app.close();
      await new Promise<void>((resolve) => logStream.end(resolve));
    },
  };
}

type Run = Awaited<ReturnType<typeof startWithCorpus>>;

describe('fuzzy person linkage through the embedded runtime', () => {
  const encoder = createLinkageEncoder(SECRET);
  let exact: Run;
  let fuzzy: Run;
  let fuzzyClosed = false;
  /** The bridged spelling that founded the merged person, withdrawn in the test of withdrawals. */
  let founder = '';

  // A hub the fuzzy node sends its quarterly report to, so the leak search covers the export and the hub message.
  const hubRoot = mkdtempSync(join(tmpdir(), 'mosy-linkage-hub-'));
  const hubLog = join(hubRoot, 'hub.log');
  const hubLogStream = createWriteStream(hubLog);
  let hub: Standalone | undefined;

  beforeAll(async () => {
    hub = await startStandalone({
      dataDir: join(hubRoot, 'data'),
      port: 0,
      adminToken: ADMIN_TOKEN,
      pseudonymSecret: SECRET,
      hub: { role: 'hub' },
      logger: createLogger({ name: 'hub', level: 'debug', destination: hubLogStream }),
    });
    const node = await createClient(hub.url).request<{ key: string }>('POST', '/v1/hub/nodes', {
      key: ADMIN_TOKEN,
      json: { country: 'PT', label: 'linkage node' },
    });
    const nodeKey = expectStatus(node, 201, 'hub node').key;
    exact = await startWithCorpus('exact');
    fuzzy = await startWithCorpus('fuzzy', {
      report: { disclosure: { threshold: DEFAULT_THRESHOLD, adHoc: 'perturb' }, reportingCountry: 'PT' },
      hub: { role: 'node', send: { hubUrl: hub.url, nodeKey, attempts: 3, backoffMs: 100 } },
    });
  }, 240_000);

  afterAll(async () => {
    await hub?.close();
    await new Promise<void>((resolve) => hubLogStream.end(resolve));
    rmSync(hubRoot, { recursive: true, force: true });
    for (const run of [exact, fuzzy]) {
      if (run === undefined) continue;
      if (run !== fuzzy || !fuzzyClosed) await run.close();
      rmSync(run.root, { recursive: true, force: true });
    }
  });

  it('counts persons by the exact pseudonym when linkage is exact', async () => {
    const pseudonyms = new Set(
      CORPUS.records.map((r) =>
        personKeyOf({ secret: SECRET, providerId: r.providerId, recordId: r.recordId, identity: r.identity }),
      ),
    );
    expect(await exact.persons()).toBe(pseudonyms.size);
    expect((await exact.status()).linkage).toEqual({
      mode: 'exact',
      merges: 0,
      revisedRecords: 0,
      backlog: 0,
    });
    // The corpus is hard for the exact pseudonym: it counts far more persons than there are.
    expect(pseudonyms.size).toBeGreaterThan(CORPUS.persons * 1.1);
  });

  it('counts persons by the linked groups when linkage is fuzzy, within 1 % of the truth and nearer than exact', async () => {
    const linker = createLinker(SECRET);
    for (const r of fuzzy.order) linker.link(r, encoder.encode(r.identity)!);
    const counted = await fuzzy.persons();
    expect(counted).toBe(linker.persons);
    expect(Math.abs(counted - CORPUS.persons) / CORPUS.persons).toBeLessThanOrEqual(0.01);
    expect(Math.abs(counted - CORPUS.persons)).toBeLessThan(
      Math.abs((await exact.persons()) - CORPUS.persons),
    );
    expect((await fuzzy.status()).linkage).toEqual({
      mode: 'fuzzy',
      merges: linker.merges,
      revisedRecords: linker.revisedRecords,
      backlog: 0,
    });
  });

  it('shows a bridging record that merges two persons as a re-grouping, in the status and the audit log', async () => {
    const before = await fuzzy.persons();
    const { merges, revisedRecords } = (await fuzzy.status()).linkage;
    await fuzzy.submitBridge('bridge-1', BRIDGE.first);
    await fuzzy.submitBridge('bridge-2', BRIDGE.second);
    expect(await fuzzy.persons()).toBe(before + 2);
    const since = Date.now();
    await fuzzy.submitBridge('bridge-3', BRIDGE.bridge);
    expect(await fuzzy.persons()).toBe(before + 1);
    expect((await fuzzy.status()).linkage).toEqual({
      mode: 'fuzzy',
      merges: merges + 1,
      revisedRecords: revisedRecords + 1,
      backlog: 0,
    });
    const audit = expectStatus(
      await fuzzy.client.request<{ entries: Record<string, unknown>[] }>('GET', `/v1/audit?since=${since}`, {
        key: ADMIN_TOKEN,
      }),
      200,
      'audit',
    );
    expect(audit.entries.filter((e) => e.action === 'linkage-regrouping')).toEqual([
      expect.objectContaining({
        keyId: 'linker',
        role: 'system',
        action: 'linkage-regrouping',
        resource: 'person_links',
        query: 'reason=merge&revisedRecords=1',
      }),
    ]);
    // The exact runtime counts the three spellings as three persons.
    const exactBefore = await exact.persons();
    for (const [i, identity] of [BRIDGE.first, BRIDGE.second, BRIDGE.bridge].entries())
      await exact.submitBridge(`bridge-${i + 1}`, identity);
    expect(await exact.persons()).toBe(exactBefore + 3);
  }, 60_000);

  it('deletes the encoding of a withdrawn record and keeps counting what the linker says', async () => {
    const before = await fuzzy.persons();
    const linker = createLinker(SECRET);
    for (const r of fuzzy.order) linker.link(r, encoder.encode(r.identity)!);
    const bridgeKeys = [BRIDGE.first, BRIDGE.second, BRIDGE.bridge].map(
      (identity, i) =>
        linker.link({ providerId: 'bridge-ngo', recordId: `bridge-${i + 1}` }, encoder.encode(identity)!)
          .personKey,
    );
    // The spelling whose group the bridge kept founded the merged person; withdrawn, the person stays one.
    founder = bridgeKeys[2] === bridgeKeys[0] ? 'bridge-1' : 'bridge-2';
    await fuzzy.submitBridge(founder, founder === 'bridge-1' ? BRIDGE.first : BRIDGE.second, 2, 'withdraw');
    linker.unlink({ providerId: 'bridge-ngo', recordId: founder });
    expect(linker.persons).toBe(before);
    expect(await fuzzy.persons()).toBe(before);
  }, 60_000);

  it("rebuilds the linker on restart with the stored person keys, the withdrawn founder's group included", async () => {
    const before = await fuzzy.persons();
    const { linkage } = await fuzzy.status();
    await fuzzy.restart();
    expect(await fuzzy.persons()).toBe(before);
    // Keys adopted from the store: no re-grouping on rebuild.
    expect((await fuzzy.status()).linkage).toEqual(linkage);
    // A fourth spelling joins the bridged person under its stored key: still one person.
    await fuzzy.submitBridge('bridge-4', { ...BRIDGE.bridge, dateOfBirth: '23/04/1991' });
    expect(await fuzzy.persons()).toBe(before);
  }, 120_000);

  it('puts no encoding in any response, log line or table but linkage_encodings', async () => {
    const encodings: LinkageEncoding[] = [
      ...CORPUS.records.map((r) => encoder.encode(r.identity)!),
      ...Object.values(BRIDGE).map((identity) => encoder.encode(identity)!),
      encoder.encode({ ...BRIDGE.bridge, dateOfBirth: '23/04/1991' })!,
    ];
    const needles = encodingNeedles(encodings);
    expect(needles.length).toBeGreaterThan(3 * CORPUS.records.length);
    // The search is not blind: a needle is found where it is.
    expect(await findLeaks(needles, [tempFile('probe.bin', `\u0000${needles[0]!}\u0000`)])).toHaveLength(1);

    const { ok } = await sweepApi(fuzzy.client, {
      keys: {
        provider: fuzzy.keys.provider,
        providerId: PROVIDERS[0]!,
        analyst: fuzzy.keys.analyst,
        coordinator: fuzzy.keys.coordinator,
        admin: ADMIN_TOKEN,
      },
      submissionIds: fuzzy.submissionIds,
    });
    expect(ok).toBeGreaterThan(60);
    // The quarter of the corpus (reference dates in 2025-Q2) as a quarterly export, every artefact downloaded, then
    // sent to the hub; the hub's answers are searched too.
    const coordinator = { key: fuzzy.keys.coordinator };
    const draft = await fuzzy.client.request<{ version: { revision: number } }>(
      'POST',
      '/v1/exports/quarterly/2025-Q2/draft',
      coordinator,
    );
    const revision = expectStatus(draft, 200, 'quarterly draft').version.revision;
    const version = `/v1/exports/quarterly/2025-Q2/${revision}`;
    expectStatus(await fuzzy.client.request('POST', `${version}/publish`, coordinator), 200, 'publish');
    for (const format of QUARTERLY_FORMATS)
      expectStatus(await fuzzy.client.request('GET', `${version}/${format}`, coordinator), 200, format);
    const sent = await fuzzy.client.request<{ outcome: string }>('POST', `${version}/send`, coordinator);
    expect(expectStatus(sent, 200, 'send to the hub').outcome).toBe('stored');
    const hubClient = createClient(hub!.url);
    const hubAnalyst = expectStatus(
      await hubClient.request<{ key: string }>('POST', '/v1/admin/keys', {
        key: ADMIN_TOKEN,
        json: { role: 'analyst', label: 'linkage hub analyst' },
      }),
      201,
      'hub analyst key',
    ).key;
    for (const path of ['totals', 'comparison', 'flows']) {
      const reply = await hubClient.request<{ reports: unknown[] }>('GET', `/v1/hub/${path}?period=2025-Q2`, {
        key: hubAnalyst,
      });
      expect(expectStatus(reply, 200, `hub ${path}`).reports).toHaveLength(1);
    }
    const bodies = [...fuzzy.client.bodies, ...hubClient.bodies].join('\n');
    expect(bodies).toContain('"outcome":"stored"');
    expect(await findLeaks(needles, [tempFile('responses.txt', bodies)])).toEqual([]);

    fuzzyClosed = true;
    await fuzzy.close();
    expect(readFileSync(fuzzy.logFile, 'utf8')).toContain('linker rebuilt');
    const dump = await dumpDuckDb(join(fuzzy.root, 'data', 'mosy.duckdb'), fuzzy.root);
    const lines = readFileSync(dump.file, 'utf8').split('\n');
    // The one place an encoding is kept: it is there (the search finds it), and nowhere else.
    const stored = lines.filter((line) => line.startsWith('main.linkage_encodings '));
    expect(stored.length).toBe(CORPUS.records.length + 4);
    // The withdrawn record keeps its version only: its encoding is deleted.
    const withdrawn = stored.filter((line) => line.includes(`"record_id":"${founder}"`));
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0]).toContain('"version":"2"');
    expect(withdrawn[0]).toContain('"encoding":null');
    const elsewhere = tempFile(
      'tables.jsonl',
      lines.filter((l) => !l.startsWith('main.linkage_encodings ')).join('\n'),
    );
    expect(await findLeaks(needles, [tempFile('encodings.jsonl', stored.join('\n'))])).not.toEqual([]);
    await hub!.close();
    hub = undefined;
    const hubDump = await dumpDuckDb(join(hubRoot, 'data', 'mosy.duckdb'), hubRoot);
    expect(readFileSync(hubDump.file, 'utf8')).toContain('2025-Q2');
    expect(
      await findLeaks(needles, [
        elsewhere,
        fuzzy.logFile,
        join(fuzzy.root, 'data', 'log'),
        hubLog,
        hubDump.file,
        join(hubRoot, 'data', 'log'),
      ]),
    ).toEqual([]);
  }, 240_000);

  it('switched back to exact, deletes every encoding and link and counts by the exact pseudonym again', async () => {
    const logFile = join(fuzzy.root, 'exact-again.log');
    const logStream = createWriteStream(logFile);
    const app = await startStandalone({
      dataDir: join(fuzzy.root, 'data'),
      port: 0,
      adminToken: ADMIN_TOKEN,
      pseudonymSecret: SECRET,
      linkage: 'exact',
      logger: createLogger({ name: 'mosy', level: 'info', destination: logStream }),
    });
    try {
      const client = createClient(app.url);
      const coordinator = { key: fuzzy.keys.coordinator };
      const persons = await client.request<{ total: number }>(
        'GET',
        '/v1/indicators/victims/values?unit=persons&protection=none',
        coordinator,
      );
      // The records held: the corpus, the bridged spelling that was not withdrawn, the bridge and its fourth
      // spelling (the same exact pseudonym as the bridge's).
      const kept = founder === 'bridge-1' ? BRIDGE.second : BRIDGE.first;
      const identities = [...CORPUS.records, { providerId: 'bridge-ngo', recordId: 'kept', identity: kept }];
      identities.push({ providerId: 'bridge-ngo', recordId: 'bridge', identity: BRIDGE.bridge });
      const pseudonyms = new Set(
        identities.map((r) =>
          personKeyOf({
            secret: SECRET,
            providerId: r.providerId,
            recordId: r.recordId,
            identity: r.identity,
          }),
        ),
      );
      expect(expectStatus(persons, 200, 'persons').total).toBe(pseudonyms.size);
      const status = await client.request<LinkageStatus>('GET', '/v1/status', coordinator);
      expect(expectStatus(status, 200, 'status').linkage).toEqual({
        mode: 'exact',
        merges: 0,
        revisedRecords: 0,
        backlog: 0,
      });
    } finally {
      await app.close();
      await new Promise<void>((resolve) => logStream.end(resolve));
    }
    expect(readFileSync(logFile, 'utf8')).toContain('the fuzzy links and encodings were deleted');
    const dump = await dumpDuckDb(join(fuzzy.root, 'data', 'mosy.duckdb'), fuzzy.root);
    const lines = readFileSync(dump.file, 'utf8').split('\n');
    expect(
      lines.filter((line) => /^main\.(linkage_encodings|person_links|linkage_regroupings) /.test(line)),
    ).toEqual([]);
  }, 120_000);
});
