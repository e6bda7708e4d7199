import { describe, expect, it } from 'vitest';
import {
  createLinkageEncoder,
  mapRecord,
  parseMapping,
  type DeadLetteredVersion,
  type DeliveredMessage,
  type EventBus,
  type IntakeLedger,
  type LinkageMessage,
  type NormalizedRecord,
  type OutgoingMessage,
  type QualityEvent,
  type Registry,
  type SubmissionMessage,
  type SubmittedRecord,
  type TopicPayloads,
} from '@mosy/core';
import { createLogger } from '@mosy/http';
import { createNormalizer } from './app.js';

const secret = 'normalizer-app-test-secret-0123456789abcdef';
/** `NormalizedRecord`'s fields, written out here so that one added to what the normalizer publishes is noticed. */
const NORMALIZED_RECORD_KEYS = [
  'providerId',
  'providerType',
  'recordId',
  'version',
  'action',
  'kind',
  'referenceDate',
  'precision',
  'periodStart',
  'periodEnd',
  'personKey',
  'recordKey',
  'fields',
  'quality',
  'mappingVersion',
  'taxonomyVersion',
  'receivedAt',
] as const;
const mapping = parseMapping({
  format: 'mosy-mapping/1',
  fields: { sex: { from: 'genero', values: { Feminino: 'F' } } },
});

const raw = (recordId: string, mappingVersion = 2): SubmissionMessage => ({
  submissionId: 'sub_1',
  providerId: 'ngo-a',
  providerType: 'NGO',
  mappingVersion,
  receivedAt: 1_770_000_000_000,
  record: {
    recordId,
    version: 1,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2026-03',
    fields: { genero: 'Outro' },
    identity: { givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1992-01-05' },
  },
});

/** The message as ingest writes it since mosy.submission v3: mapped once, with `mapRecord`. */
const mapped = (recordId: string, mappingVersion = 2): SubmissionMessage => {
  const message = raw(recordId, mappingVersion);
  const outcome = mapRecord(mapping, message.record as SubmittedRecord);
  if (!('record' in outcome)) throw new Error('expected a mapped record');
  return { ...message, record: outcome.record };
};

/** Runs one batch through a normalizer on fake ports; what it published, recorded and asked the registry. */
async function normalizeBatch(
  messages: readonly SubmissionMessage[],
  linkage?: { readonly sink: (messages: readonly LinkageMessage[]) => Promise<void> },
) {
  const published: { [T in keyof TopicPayloads]: TopicPayloads[T][] } = {
    submissions: [],
    records: [],
    deadletter: [],
    linkage: [],
  };
  let handler: ((batch: readonly DeliveredMessage<SubmissionMessage>[]) => Promise<void>) | undefined;
  const bus = {
    publish(topic: keyof TopicPayloads, batch: readonly OutgoingMessage<never>[]) {
      (published[topic] as unknown[]).push(...batch.map((m) => m.value));
      return Promise.resolve();
    },
    consume(_topic: string, _group: string, h: typeof handler) {
      handler = h;
      return Promise.resolve({ stop: () => Promise.resolve() });
    },
  } as unknown as EventBus;
  const lookups: number[] = [];
  const registry = {
    getMapping(_providerId: string, version: number) {
      lookups.push(version);
      return Promise.resolve(version === 2 ? mapping : undefined);
    },
  } as unknown as Registry;
  const quality: QualityEvent[] = [];
  const deadLettered: DeadLetteredVersion[] = [];
  const ledger = {
    recordQuality(events: readonly QualityEvent[]) {
      quality.push(...events);
      return Promise.resolve();
    },
    markDeadLettered(records: readonly DeadLetteredVersion[]) {
      deadLettered.push(...records);
      return Promise.resolve();
    },
  } as unknown as IntakeLedger;
  const normalizer = createNormalizer({
    bus,
    registry,
    ledger,
    pseudonymSecret: secret,
    logger: createLogger({ name: 'test', level: 'silent' }),
    now: () => 5,
    ...(linkage === undefined
      ? {}
      : { linkage: { encoder: createLinkageEncoder(secret), sink: linkage.sink } }),
  });
  await normalizer.start();
  await handler!(
    messages.map((value, i) => ({ key: `ngo-a/${value.record.recordId}`, value, position: `${i}` })),
  );
  await normalizer.stop();
  return { published, lookups, quality, deadLettered };
}

describe('the normalizer service', () => {
  it("hands each normalized record's linkage encoding to the linkage sink only, an unlink for a withdrawal", async () => {
    const withdrawal: SubmissionMessage = {
      ...mapped('w'),
      record: { ...mapped('w').record, version: 2, action: 'withdraw', identity: undefined },
    };
    const sunk: LinkageMessage[] = [];
    const { published } = await normalizeBatch([mapped('a'), withdrawal, raw('b', 9)], {
      sink: (messages) => {
        sunk.push(...messages);
        return Promise.resolve();
      },
    });
    // b's mapping version is unknown: dead-lettered, so nothing to link.
    expect(sunk.map(({ recordId, version }) => ({ recordId, version }))).toEqual([
      { recordId: 'a', version: 1 },
      { recordId: 'w', version: 2 },
    ]);
    const expected = createLinkageEncoder(secret).encode({
      givenName: 'Ana',
      familyName: 'Silva',
      dateOfBirth: '1992-01-05',
    })!;
    expect(sunk[0]!.encoding).toEqual(expected);
    expect(sunk[1]!.encoding).toBeUndefined();
    expect(published.linkage).toEqual([]);
    const hex = Buffer.from(expected.bits.buffer).toString('hex');
    expect(JSON.stringify(published)).not.toContain(hex);
    // A published record has exactly the normalized record's fields: no encoding, no identity.
    for (const record of published.records)
      expect(Object.keys(record).sort()).toEqual([...NORMALIZED_RECORD_KEYS].sort());
    expect(published.records.map((r) => r.recordId)).toEqual(['a', 'w']);
  });

  it('normalizes records mapped by ingest without the registry, and maps only messages written before v3', async () => {
    const { published, lookups } = await normalizeBatch([mapped('a'), raw('b'), mapped('c')]);
    expect(lookups).toEqual([2]);
    const [a, b, c] = published.records as [NormalizedRecord, NormalizedRecord, NormalizedRecord];
    expect(a).toMatchObject({ recordId: 'a', quality: ['unmapped:sex'], fields: { sex: 'UNK' } });
    expect(a.personKey).toMatch(/^p:/);
    // The same record mapped by ingest or by the normalizer normalizes alike (the person key is the identity's).
    expect({ ...b, recordId: 'a', recordKey: a.recordKey }).toEqual(a);
    expect({ ...c, recordId: 'a', recordKey: a.recordKey }).toEqual(a);
    expect(JSON.stringify(published.records)).not.toMatch(/Ana|Silva|1992|Outro/);
  });

  it('dead-letters a message written before v3 whose mapping version is missing; a mapped one needs none', async () => {
    const { published, lookups, quality, deadLettered } = await normalizeBatch([raw('a', 9), mapped('b', 9)]);
    expect(lookups).toEqual([9]);
    expect(published.records.map((r) => r.recordId)).toEqual(['b']);
    expect(published.deadletter).toMatchObject([{ recordId: 'a', code: 'not-found', stage: 'normalizer' }]);
    expect(quality).toEqual([
      { providerId: 'ngo-a', kind: 'deadletter', field: 'not-found', value: '', count: 1 },
    ]);
    // Remembered per record, so the providers' backlog stops waiting for it.
    expect(deadLettered).toEqual([{ providerId: 'ngo-a', recordId: 'a', version: 1 }]);
  });
});
