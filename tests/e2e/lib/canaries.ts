/**
 * Privacy canaries: identities made of strings that exist nowhere else (random name tokens, dates of birth in
 * 1901–1906, document numbers), submitted through the public API as JSON and as CSV — accepted, re-sent, withdrawn,
 * rejected — next to a small synthetic dataset, so that every stage and table has data. After the normalizer, none
 * of them may be anywhere: `sweepApi` then reads every GET operation of the OpenAPI document as every role (CSV and
 * SDMX-CSV exports, unprotected values, the audit log, receipts, coverage, the live stream's snapshot), keeping the
 * bodies for the search. The runtime-specific places (files, logs, topics, tables) are searched by each test.
 */
import { randomBytes } from 'node:crypto';
import { generateDataset, toSubmissionCsv, type SyntheticDataset } from '@mosy/testkit';
import { expectStatus, type Client } from './client.js';
import { leakNeedles } from './leaks.js';
import { issueKey, registerProviders, submitAll, type Receipt } from './load.js';

export interface Canary {
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly documentNumber: string;
}

/** A token no file, table or topic holds by chance: letters only, so no mapping or code can produce it. */
const token = (): string => [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

/** Canary identities; dates of birth written the ways providers write them. */
export function makeCanaries(count = 6): Canary[] {
  return Array.from({ length: count }, (_, i) => {
    const day = String(10 + i).padStart(2, '0');
    return {
      givenName: `Zélia${token()} Ørn${token()}`,
      familyName: `Quäst${token()}`,
      dateOfBirth: i % 2 === 0 ? `190${1 + i}-03-${day}` : `${day}/04/190${1 + i}`,
      documentNumber: `CANARY${token().toUpperCase()}`,
    };
  });
}

const unaccent = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '');

/** Every form of each canary a normaliser, a log or a table could hold. */
export function canaryNeedles(canaries: readonly Canary[]): string[] {
  const needles = new Set<string>();
  for (const c of canaries) {
    const names = `${c.givenName} ${c.familyName}`;
    const tokens = names.split(' ');
    const normalised = tokens.map((t) => unaccent(t).toLowerCase());
    for (const value of [...tokens, names, c.documentNumber])
      for (const form of [value, value.toLowerCase(), value.toUpperCase(), unaccent(value).toLowerCase()])
        needles.add(form);
    needles.add([...normalised].sort().join(' '));
    needles.add([...normalised].sort().join(''));
    needles.add(c.dateOfBirth);
    const dmy = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(c.dateOfBirth);
    if (dmy !== null) needles.add(`${dmy[3]}-${dmy[2]}-${dmy[1]}`);
  }
  return [...needles];
}

export interface CanaryLoad {
  readonly dataset: SyntheticDataset;
  readonly canaries: readonly Canary[];
  /** Canaries and the synthetic dataset's own identity values, in every form searched. */
  readonly needles: readonly string[];
  readonly keys: {
    readonly provider: string;
    readonly providerId: string;
    readonly analyst: string;
    readonly coordinator: string;
    readonly admin: string;
  };
  readonly submissionIds: readonly string[];
  /** Records accepted in total (dataset and canaries). */
  readonly accepted: number;
}

/** Registers the providers, submits the small dataset and the canaries (JSON and CSV); returns keys and needles. */
export async function loadCanaries(client: Client, adminToken: string): Promise<CanaryLoad> {
  const dataset = generateDataset({ seed: 5_150, persons: 30, years: [2024] });
  const providerKeys = await registerProviders(client, adminToken, dataset);
  const summary = await submitAll(client, dataset, providerKeys);
  if (summary.rejected > 0) throw new Error(`dataset rejected: ${summary.rejections.join('; ')}`);
  const police = dataset.providers.find((p) => p.type === 'POLICE')!;
  const providerKey = providerKeys.get(police.id)!;
  const canaries = makeCanaries();
  const victim = (i: number, version = 1) => ({
    recordId: `CANARY-${i}`,
    version,
    action: 'upsert' as const,
    kind: 'victim' as const,
    referenceDate: '2024-05-14',
    // A free-text field the mapping drops, holding an identity too: dropped by ingest, never stored.
    fields: {
      sexo: 'Feminino',
      idade: 31,
      estatuto: 'Identificada',
      distrito: 'Faro',
      observacoes: `contacto ${canaries[i]!.givenName}`,
    },
    identity: { ...canaries[i]! } as Record<string, string>,
  });
  const submissionIds: string[] = [];
  let accepted = summary.accepted;
  const submit = async (body: string, contentType: string): Promise<Receipt> => {
    const receipt = expectStatus(
      await client.request<Receipt>('POST', '/v1/submissions', { key: providerKey, body, contentType }),
      202,
      'canary submission',
    );
    submissionIds.push(receipt.submissionId);
    accepted += receipt.accepted;
    return receipt;
  };
  // JSON: three accepted, one re-sent, one withdrawn with its identity, one rejected (unknown property) with it.
  const json = await submit(
    JSON.stringify({
      records: [
        victim(0),
        victim(1),
        victim(2),
        victim(0),
        { ...victim(1, 2), action: 'withdraw' },
        { ...victim(3), colour: 'red' },
      ],
    }),
    'application/json',
  );
  if (json.accepted !== 4 || json.duplicates !== 1 || json.rejected !== 1)
    throw new Error(`canary JSON receipt: ${JSON.stringify(json)}`);
  // CSV: two more, with identity columns.
  const csv = await submit(toSubmissionCsv([victim(4), victim(5)]), 'text/csv');
  if (csv.accepted !== 2) throw new Error(`canary CSV receipt: ${JSON.stringify(csv)}`);

  const [analyst, coordinator, admin] = await Promise.all([
    issueKey(client, adminToken, 'analyst'),
    issueKey(client, adminToken, 'coordinator'),
    issueKey(client, adminToken, 'admin'),
  ]);
  return {
    dataset,
    canaries,
    needles: [...canaryNeedles(canaries), ...leakNeedles(dataset)],
    keys: {
      provider: providerKey,
      providerId: police.id,
      analyst: analyst.key,
      coordinator: coordinator.key,
      admin: admin.key,
    },
    submissionIds,
    accepted,
  };
}

/** What a sweep needs: a key per role, the provider's id and one of its submissions. */
export type SweepLoad = Pick<CanaryLoad, 'keys' | 'submissionIds'>;

interface Operation {
  readonly path: string;
  readonly operationId: string;
  readonly parameters: readonly { name: string; in: string }[];
}

/** Concrete paths of a GET operation for a caller: ids that exist, and each export format a report offers. */
function pathsOf(op: Operation, load: SweepLoad, role: string): string[] {
  const path = op.path
    .replace('{submissionId}', load.submissionIds[0]!)
    .replace('/v1/admin/providers/{id}', `/v1/admin/providers/${load.keys.providerId}`)
    .replace('{id}', 'victims');
  const query = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  const variants = [''];
  if (query.has('format')) variants.push('format=csv');
  if (op.path.startsWith('/v1/reports/') && query.has('format'))
    variants.push('format=sdmx-csv&from=2024&to=2024');
  if (query.has('protection') && role === 'coordinator') variants.push('protection=none');
  return variants.map((v) => (v === '' ? path : `${path}?${v}`));
}

/** The first event of the live stream (its snapshot), then the connection is closed. */
async function liveSnapshot(url: string, key: string): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${url}/v1/live?indicators=victims`, {
    headers: { authorization: `Bearer ${key}` },
    signal: abort.signal,
  });
  const reader = res.body!.getReader();
  let text = '';
  const decoder = new TextDecoder();
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  abort.abort();
  return text;
}

/**
 * Reads every GET operation of the document as every role (and without a key); the bodies land in the client's
 * `bodies`. Returns the number of requests and how many answered 200.
 */
export async function sweepApi(client: Client, load: SweepLoad): Promise<{ requests: number; ok: number }> {
  const document = expectStatus(
    await client.request<{ paths: Record<string, Record<string, Omit<Operation, 'path'>>> }>(
      'GET',
      '/openapi.json',
    ),
    200,
    'openapi',
  );
  const roles: Record<string, string | undefined> = {
    none: undefined,
    provider: load.keys.provider,
    analyst: load.keys.analyst,
    coordinator: load.keys.coordinator,
    admin: load.keys.admin,
  };
  let requests = 0;
  let ok = 0;
  for (const [path, item] of Object.entries(document.paths)) {
    const get = item.get;
    if (get === undefined) continue;
    for (const [role, key] of Object.entries(roles)) {
      if (get.operationId === 'liveValues') {
        if (key === undefined || (role !== 'analyst' && role !== 'coordinator')) continue;
        client.bodies.push(await liveSnapshot(client.url, key));
        requests++;
        ok++;
        continue;
      }
      for (const concrete of pathsOf({ path, ...get, parameters: get.parameters ?? [] }, load, role)) {
        const reply = await client.request('GET', concrete, key === undefined ? {} : { key });
        requests++;
        if (reply.status === 200) ok++;
      }
    }
  }
  return { requests, ok };
}
