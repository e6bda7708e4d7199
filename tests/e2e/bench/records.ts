/**
 * The benchmark's data: synthetic datasets (`@mosy/synthetic` through the testkit), cut into the requests a provider
 * would send, and — for the query curves — the current normalized records they lead to, made by the same pure steps
 * ingest and the normalizer take (`mapRecord`, `normalize`), then repeated under new record ids and person keys to
 * reach any size with the same distribution of values.
 */
import { mapRecord, normalize, type NormalizedRecord, type SubmittedRecord } from '@mosy/core';
import { generateDataset, type SyntheticDataset } from '@mosy/testkit';

/** About 2.4 records per synthetic person (victims, traffickers, cases, corrections). */
const RECORDS_PER_PERSON = 2.4;

/** A dataset with at least `records` submitted records (a little more, as the generator works in persons). */
export function datasetOf(records: number, seed: number): SyntheticDataset {
  return generateDataset({ seed, persons: Math.ceil(records / RECORDS_PER_PERSON) + 50 });
}

export interface Request {
  readonly providerId: string;
  readonly records: number;
  /** The JSON body, serialised beforehand so the client's cost stays out of the figures. */
  readonly body: string;
}

/**
 * Every provider's records in send order (the same share of each, `records` in all), cut into requests of `size`
 * records, one list per provider: a provider's requests must go one after another (versions in order).
 */
export function requestsOf(
  dataset: SyntheticDataset,
  records: number,
  size: number,
  rename: (recordId: string) => string = (id) => id,
): Request[][] {
  const total = dataset.submissions.reduce((n, s) => n + s.records.length, 0);
  const share = Math.min(1, records / total);
  return dataset.submissions.map(({ providerId, records: all }) => {
    const kept = all.slice(0, Math.round(all.length * share));
    const requests: Request[] = [];
    for (let i = 0; i < kept.length; i += size) {
      const chunk = kept.slice(i, i + size).map((r) => ({ ...r, recordId: rename(r.recordId) }));
      requests.push({ providerId, records: chunk.length, body: JSON.stringify({ records: chunk }) });
    }
    return requests;
  });
}

/** Splits the providers' request lists into `lanes` sequences of about the same number of records. */
export function lanesOf(perProvider: readonly Request[][], lanes: number): Request[][] {
  const out: Request[][] = Array.from({ length: lanes }, () => []);
  const load = new Array<number>(lanes).fill(0);
  const bySize = [...perProvider].sort(
    (a, b) => b.reduce((n, r) => n + r.records, 0) - a.reduce((n, r) => n + r.records, 0),
  );
  for (const requests of bySize) {
    const lane = load.indexOf(Math.min(...load));
    out[lane]!.push(...requests);
    load[lane]! += requests.reduce((n, r) => n + r.records, 0);
  }
  return out;
}

/** The current normalized record of every key of the dataset (highest version; withdrawals kept as such). */
export function currentNormalized(dataset: SyntheticDataset, secret: string): NormalizedRecord[] {
  const latest = new Map<string, NormalizedRecord>();
  for (const { providerId, records } of dataset.submissions) {
    const provider = dataset.providers.find((p) => p.id === providerId)!;
    for (const record of records) {
      const mapped = mapRecord(provider.mapping, record);
      if ('issues' in mapped) continue;
      const outcome = normalize(
        {
          submissionId: 'bench',
          providerId,
          providerType: provider.type,
          mappingVersion: 1,
          receivedAt: Date.parse(`${record.referenceDate.slice(0, 4)}-12-31T12:00:00Z`),
          record: mapped.record,
        },
        secret,
      );
      if (!('record' in outcome)) continue;
      const key = `${providerId}\u0000${record.recordId}`;
      const before = latest.get(key);
      if (before === undefined || outcome.record.version > before.version) latest.set(key, outcome.record);
    }
  }
  return [...latest.values()];
}

/**
 * The `copy`-th repetition of the base records: new record ids and person keys (so persons stay as distinct as in
 * the base), record keys moved by a large odd constant (so they stay uniform).
 */
export function copyOf(base: readonly NormalizedRecord[], copy: number): NormalizedRecord[] {
  if (copy === 0) return [...base];
  return base.map((r) => ({
    ...r,
    recordId: `${r.recordId}.${copy}`,
    personKey: `${r.personKey}.${copy}`,
    recordKey: (r.recordKey + copy * 2_654_435_761) >>> 0,
  }));
}

/**
 * A record that the `victims` indicator counts (a registered victim, not withdrawn) as its provider last sent it:
 * the template of the probes, submitted under a provider of their own with the same mapping.
 */
export function probeTemplate(dataset: SyntheticDataset): {
  readonly providerId: string;
  readonly record: SubmittedRecord;
} {
  for (const truth of dataset.truth) {
    const status = truth.fields.status;
    if (truth.kind !== 'victim' || truth.withdrawn || (status !== 'IDENTIFIED' && status !== 'PRESUMED'))
      continue;
    const records = dataset.submissions.find((s) => s.providerId === truth.providerId)!.records;
    const last = records.filter((r) => r.recordId === truth.recordId).at(-1);
    if (last?.action === 'upsert') return { providerId: truth.providerId, record: last };
  }
  throw new Error('the dataset has no registered victim to copy');
}

/** One record a provider submits, under a new id: the probes of the latency and freshness figures. */
export function probeOf(template: SubmittedRecord, recordId: string): SubmittedRecord {
  const { identity: _identity, ...rest } = template;
  return { ...rest, recordId, version: 1, action: 'upsert' };
}
