/**
 * Evaluation of privacy-preserving linkage against the exact pseudonym, and its cost as the index grows; not run by
 * the tests. For each size it generates a seeded linkage corpus (src/linkage-corpus.ts), encodes every identity,
 * adds the encodings one by one to a linkage index in arrival order, and reports precision, recall and F1 of person
 * links and the person-total error for the fuzzy grouping and for the exact pseudonym (`personKeyOf`), with the
 * encoding and linkage time per record and the comparisons per record. Linkage runs through the record-level
 * linker (`createLinker`, what the counting would use: person keys of groups, merges as revisions of earlier
 * records), which also reports the re-groupings. The table replaces the part of docs/linkage.md between its
 * `linkage-eval` markers.
 *
 *   node --conditions=@mosy/source --import tsx packages/synthetic/bench/linkage-eval.ts [sizes=10000,100000,1000000]
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import {
  createLinkageEncoder,
  createLinker,
  linkQuality,
  personKeyOf,
  type LinkageEncoding,
  type LinkQuality,
} from '@mosy/core';
import { generateLinkageCorpus } from '../src/index.js';

const sizes = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const secret = 'linkage-eval-secret-of-at-least-32-bytes';
const DOC = new URL('../../../docs/linkage.md', import.meta.url);
const START = '<!-- linkage-eval:start -->';
const END = '<!-- linkage-eval:end -->';

interface Row {
  readonly records: number;
  readonly fuzzy: LinkQuality;
  readonly exact: LinkQuality;
  readonly encodeMicros: number;
  readonly linkMicros: number;
  readonly comparisons: number;
  /** Share of true pairs that share a blocking key (pairs completeness): the recall ceiling blocking sets. */
  readonly blockingRecall: number;
  /** Re-groupings (merges) and the earlier records whose person key they changed. */
  readonly merges: number;
  readonly revisedRecords: number;
}

/** Share of same-person record pairs in which one record probes a blocking key the other is filed under. */
function blockingRecall(personIds: readonly string[], encodings: readonly LinkageEncoding[]): number {
  const byPerson = new Map<string, number[]>();
  personIds.forEach((p, i) => byPerson.set(p, [...(byPerson.get(p) ?? []), i]));
  let pairs = 0;
  let shared = 0;
  for (const records of byPerson.values())
    for (let i = 0; i < records.length; i++)
      for (let j = i + 1; j < records.length; j++) {
        pairs += 1;
        const [a, b] = [encodings[records[i]!]!, encodings[records[j]!]!];
        // Either finds the other: one probes a key the other is filed under.
        const filedA = new Set(a.blockKeys);
        const filedB = new Set(b.blockKeys);
        if (b.probeKeys.some((k) => filedA.has(k)) || a.probeKeys.some((k) => filedB.has(k))) shared += 1;
      }
  return pairs === 0 ? 1 : shared / pairs;
}

function measure(records: number): Row {
  const corpus = generateLinkageCorpus({ seed: 2026, records });
  const truth = corpus.records.map((r) => r.personId);
  const encoder = createLinkageEncoder(secret);
  let started = performance.now();
  const encodings = corpus.records.map((r) => encoder.encode(r.identity)!);
  const encodeMicros = ((performance.now() - started) * 1000) / records;
  const linker = createLinker(secret);
  started = performance.now();
  encodings.forEach((encoding, i) => linker.link(corpus.records[i]!, encoding));
  const linkMicros = ((performance.now() - started) * 1000) / records;
  const fuzzy = linkQuality(
    truth,
    corpus.records.map((r) => linker.personKeyOf(r)!),
  );
  const exact = linkQuality(
    truth,
    corpus.records.map((r) =>
      personKeyOf({ secret, providerId: r.providerId, recordId: r.recordId, identity: r.identity }),
    ),
  );
  return {
    records,
    fuzzy,
    exact,
    encodeMicros,
    linkMicros,
    comparisons: linker.comparisons / records,
    blockingRecall: blockingRecall(truth, encodings),
    merges: linker.merges,
    revisedRecords: linker.revisedRecords,
  };
}

const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} %`;
const quality = (q: LinkQuality): string =>
  `${f3(q.precision)} | ${f3(q.recall)} | ${f3(q.f1)} | ${q.groups} / ${q.persons} (${pct(q.personTotalError)})`;

const rows: Row[] = [];
for (const size of sizes) {
  const row = measure(size);
  rows.push(row);
  console.log(
    `${size}: fuzzy ${quality(row.fuzzy)}; exact ${quality(row.exact)}; encode ${row.encodeMicros.toFixed(1)} µs, ` +
      `link ${row.linkMicros.toFixed(1)} µs, ${row.comparisons.toFixed(2)} comparisons per record, ` +
      `blocking recall ${f3(row.blockingRecall)}`,
  );
}

const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ` +
    `Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end; seed 2026.`,
  '',
  '| records | method | precision | recall | F1 | groups / true persons (error) |',
  '| ---: | --- | ---: | ---: | ---: | ---: |',
  ...rows.flatMap((r) => [
    `| ${r.records} | fuzzy | ${quality(r.fuzzy)} |`,
    `| ${r.records} | exact pseudonym | ${quality(r.exact)} |`,
  ]),
  '',
  '| records | encoding µs / record | linkage µs / record | comparisons / record | true pairs within reach (blocking recall) | re-groupings (records re-keyed) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.records} | ${r.encodeMicros.toFixed(1)} | ${r.linkMicros.toFixed(1)} | ${r.comparisons.toFixed(2)} | ` +
      `${f3(r.blockingRecall)} | ${r.merges} (${r.revisedRecords}) |`,
  ),
].join('\n');

const doc = await readFile(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) throw new Error(`docs/linkage.md has no ${START} … ${END} section`);
await writeFile(DOC, `${doc.slice(0, from + START.length)}\n${table}\n${doc.slice(to)}`);
console.log('docs/linkage.md updated');
