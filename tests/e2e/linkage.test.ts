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
 * merge and the audit log holds a `linkage-regrouping` entry with counts only. A withdrawal of the bridge leaves the
 * merged person one, as the linker says. Last, no encoding (hex or base64 of its bytes, or of its filter alone) is
 * in any response of any GET operation as any role, in the log, or in any table but `linkage_encodings`.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkageEncoder, createLinker, personKeyOf, type LinkageEncoding } from '@mosy/core';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone } from '@mosy/standalone';
import { generateLinkageCorpus, type LinkageCorpusRecord } from '@mosy/testkit';
import { sweepApi } from './lib/canaries.js';
import { createClient, expectStatus, type Client } from './lib/client.js';
import { dumpDuckDb } from './lib/duckdb-dump.js';
import { encodingNeedles, findLeaks, tempFile } from './lib/leaks.js';
import { waitIdle } from './lib/load.js';

const SECRET = 'linkage-e2e-pseudonym-secret-of-32-bytes-or-more';
const ADMIN_TOKEN = `linkage-admin-${process.pid}-${Date.now()}`;
const CORPUS = generateLinkageCorpus({ seed: 2026, records: 3000 });
const PROVIDERS = [...new Set(CORPUS.records.map((r) => r.providerId))].sort();
const BATCH = 500;
/** Two spellings of one person that the linker keeps apart under SECRET, and the spelling that joins both. */
const BRIDGE = {
  first: { givenName: 'Txodora', familyName: 'Vrranceanu', dateOfBirth: '1991-04-23' },
  second: { givenName: 'Teodora', familyName: 'Vranceaxu', dateOfBirth: '1991-04-23' },
  bridge: { givenName: 'Teodora', familyName: 'Vranceanu', dateOfBirth: '1991-04-23' },
};

interface Status {
  idle: boolean;
  linkage: { mode: string; merges: number; revisedRecords: number; backlog: number };
}

/** A corpus record as an HTCDS JSON submission: a registered victim with the identity in its own block. */
const submissionOf = (
  recordId: string,
  identity: Readonly<Record<string, string>>,
  version = 1,
): Record<string, unknown> => ({
  recordId,
  version,
  action: 'upsert',
  kind: 'victim',
  referenceDate: '2025-06-01',
  fields: { vic_TraffickingStatus: 'ActualVictimOfTrafficking' },
  identity,
});

/** One runtime with the corpus submitted, provider by provider in batches, in the order the linker sees. */
async function startWithCorpus(mode: 'exact' | 'fuzzy') {
  const root = mkdtempSync(join(tmpdir(), `mosy-linkage-${mode}-`));
  const logFile = join(root, 'mosy.log');
  const logStream = createWriteStream(logFile);
  const app = await startStandalone({
    dataDir: join(root, 'data'),
    port: 0,
    adminToken: ADMIN_TOKEN,
    pseudonymSecret: SECRET,
    linkage: mode,
    logger: createLogger({ name: 'mosy', level: 'debug', destination: logStream }),
    hardening: { rateLimitPerMinute: 1_000_000 },
  });
  const client = createClient(app.url);
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
    const reply = await client.request<{ total: number }>(
      'GET',
      '/v1/indicators/victims/values?unit=persons&protection=none',
      { key: coordinator },
    );
    return expectStatus(reply, 200, 'persons').total;
  };
  const status = async (): Promise<Status> =>
    expectStatus(await client.request<Status>('GET', '/v1/status', { key: coordinator }), 200, 'status');
  const submitBridge = async (recordId: string, identity: Record<string, string>, version = 1) => {
    const reply = await client.request<{ accepted: number }>('POST', '/v1/submissions', {
      key: keys.get('bridge-ngo')!,
      json: { records: [submissionOf(recordId, identity, version)] },
    });
    expect(expectStatus(reply, 202, `bridge ${recordId}`).accepted).toBe(1);
    await waitIdle(client, coordinator);
  };
  return {
    app,
    root,
    client,
    order,
    persons,
    status,
    submitBridge,
    logFile,
    keys: { coordinator, analyst, provider: keys.get(PROVIDERS[0]!)! },
    submissionIds,
    async close() {
      await app.close();
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

  beforeAll(async () => {
    exact = await startWithCorpus('exact');
    fuzzy = await startWithCorpus('fuzzy');
  }, 240_000);

  afterAll(async () => {
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
    const reply = await fuzzy.client.request<{ accepted: number }>('POST', '/v1/submissions', {
      key: fuzzy.keys.provider,
      json: {
        records: [
          {
            recordId: fuzzy.order.find((r) => r.providerId === PROVIDERS[0])!.recordId,
            version: 2,
            action: 'withdraw',
            kind: 'victim',
            referenceDate: '2025-06-01',
            fields: {},
          },
        ],
      },
    });
    expect(expectStatus(reply, 202, 'withdrawal').accepted).toBe(1);
    await waitIdle(fuzzy.client, fuzzy.keys.coordinator);
    const withdrawn = fuzzy.order.find((r) => r.providerId === PROVIDERS[0])!;
    const linker = createLinker(SECRET);
    for (const r of fuzzy.order) linker.link(r, encoder.encode(r.identity)!);
    for (const [i, identity] of [BRIDGE.first, BRIDGE.second, BRIDGE.bridge].entries())
      linker.link({ providerId: 'bridge-ngo', recordId: `bridge-${i + 1}` }, encoder.encode(identity)!);
    const groupSize = CORPUS.records.filter(
      (r) => linker.personKeyOf(r) === linker.personKeyOf(withdrawn),
    ).length;
    linker.unlink(withdrawn);
    expect(await fuzzy.persons()).toBe(linker.persons);
    expect(await fuzzy.persons()).toBe(groupSize === 1 ? before - 1 : before);
  }, 60_000);

  it('puts no encoding in any response, log line or table but linkage_encodings', async () => {
    const encodings: LinkageEncoding[] = [
      ...CORPUS.records.map((r) => encoder.encode(r.identity)!),
      ...Object.values(BRIDGE).map((identity) => encoder.encode(identity)!),
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
    expect(await findLeaks(needles, [tempFile('responses.txt', fuzzy.client.bodies.join('\n'))])).toEqual([]);

    fuzzyClosed = true;
    await fuzzy.close();
    expect(readFileSync(fuzzy.logFile, 'utf8')).toContain('linker rebuilt');
    const dump = await dumpDuckDb(join(fuzzy.root, 'data', 'mosy.duckdb'), fuzzy.root);
    const lines = readFileSync(dump.file, 'utf8').split('\n');
    // The one place an encoding is kept: it is there (the search finds it), and nowhere else.
    const stored = lines.filter((line) => line.startsWith('main.linkage_encodings '));
    expect(stored.length).toBe(CORPUS.records.length + 3);
    const elsewhere = tempFile(
      'tables.jsonl',
      lines.filter((l) => !l.startsWith('main.linkage_encodings ')).join('\n'),
    );
    expect(await findLeaks(needles, [tempFile('encodings.jsonl', stored.join('\n'))])).not.toEqual([]);
    expect(await findLeaks(needles, [elsewhere, fuzzy.logFile, join(fuzzy.root, 'data', 'log')])).toEqual([]);
  }, 180_000);
});
