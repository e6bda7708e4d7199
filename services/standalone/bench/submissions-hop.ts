/**
 * CPU time per record of the submissions hop (not run by the tests): what the embedded path spends on one accepted
 * record between ingest's mapping and the records topic — encoding the submission message, decoding it, and
 * normalizing — for the two message forms the normalizer reads. "provider fields" is the hop as it was before
 * ingest mapped (the normalizer maps again); "mapped" is the hop since (`mosy.submission` v3). Ingest's own mapping,
 * the same in both, is outside the timed part. Synthetic records, best of five rounds.
 *
 *   node --conditions=@mosy/source --import tsx services/standalone/bench/submissions-hop.ts
 *   PERSONS=20000 … (default shown: about 50 000 records)
 */
import { mapRecord, normalize, type SubmissionMessage } from '@mosy/core';
import { topicSerde } from '@mosy/schemas';
import { generateDataset } from '@mosy/synthetic';

const PERSONS = Number(process.env.PERSONS ?? 20_000);
const ROUNDS = 5;
const secret = 'submissions-hop-bench-secret-0123456789abcdef';

const dataset = generateDataset({ seed: 7, persons: PERSONS });
const mappings = new Map(dataset.providers.map((p) => [p.id, p]));
const raw: SubmissionMessage[] = [];
const mapped: SubmissionMessage[] = [];
for (const { providerId, records } of dataset.submissions) {
  const provider = mappings.get(providerId)!;
  for (const record of records) {
    const outcome = mapRecord(provider.mapping, record);
    if (!('record' in outcome)) continue;
    const envelope = { submissionId: 'sub_1', providerId, providerType: provider.type, mappingVersion: 1 };
    raw.push({ ...envelope, receivedAt: 0, record });
    mapped.push({ ...envelope, receivedAt: 0, record: outcome.record });
  }
}

const serde = topicSerde('submissions');
function hop(messages: readonly SubmissionMessage[]): { cpuUs: number; bytes: number } {
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    bytes = 0;
    const cpu = process.cpuUsage();
    for (const message of messages) {
      const encoded = serde.encode(message);
      bytes += encoded.length;
      const decoded = serde.decode(encoded);
      const outcome = normalize(decoded, secret, {
        mapping: mappings.get(decoded.providerId)!.mapping,
        now: 0,
      });
      if (!('record' in outcome)) throw new Error(outcome.deadLetter.reason);
    }
    const { user, system } = process.cpuUsage(cpu);
    best = Math.min(best, user + system);
  }
  return { cpuUs: best, bytes };
}

for (const [name, messages] of [
  ['provider fields', raw],
  ['mapped', mapped],
] as const) {
  const { cpuUs, bytes } = hop(messages);
  console.log(
    `${name.padEnd(15)} ${messages.length} records: ${(cpuUs / messages.length).toFixed(1)} µs CPU per record, ` +
      `${(bytes / messages.length).toFixed(0)} bytes per message`,
  );
}
