import { describe, expect, it } from 'vitest';
import { createLinkageEncoder, createLinkageIndex, createLinker, linkQuality, personKeyOf } from '@mosy/core';
import { generateLinkageCorpus } from './linkage-corpus.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const corpus = generateLinkageCorpus({ seed: 12, records: 2000 });
const truth = corpus.records.map((r) => r.personId);

describe('generateLinkageCorpus', () => {
  it('is seeded, and has persons reaching several providers with spelling and date errors', () => {
    expect(generateLinkageCorpus({ seed: 12, records: 2000 })).toEqual(corpus);
    expect(corpus.records).toHaveLength(2000);
    expect(new Set(truth).size).toBe(corpus.persons);
    expect(corpus.persons).toBeLessThan(1500);
    const identities = corpus.records.map((r) => r.identity);
    expect(identities.filter((i) => i.dateOfBirth === undefined).length).toBeGreaterThan(60);
    expect(identities.some((i) => /\p{Script=Cyrillic}/u.test(i.givenName!))).toBe(true);
    expect(identities.some((i) => /\p{Script=Greek}/u.test(i.familyName!))).toBe(true);
  });
});

describe('fuzzy linkage on the corpus', () => {
  it('links persons with precision, recall and F1 ≥ 0.95, the person total within 1 %, better than the exact pseudonym', () => {
    const encoder = createLinkageEncoder(secret);
    const index = createLinkageIndex();
    for (const record of corpus.records) index.add(encoder.encode(record.identity)!);
    const fuzzy = linkQuality(
      truth,
      corpus.records.map((_, i) => String(index.groupOf(i))),
    );
    const exact = linkQuality(
      truth,
      corpus.records.map((r) =>
        personKeyOf({ secret, providerId: r.providerId, recordId: r.recordId, identity: r.identity }),
      ),
    );
    expect(fuzzy.precision).toBeGreaterThanOrEqual(0.95);
    expect(fuzzy.recall).toBeGreaterThanOrEqual(0.95);
    expect(fuzzy.f1).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(fuzzy.personTotalError)).toBeLessThanOrEqual(0.01);
    // The exact pseudonym splits every misspelt or re-dated person (here F1 0.73, persons +29 %).
    expect(exact.f1).toBeLessThan(fuzzy.f1 - 0.1);
    expect(exact.personTotalError).toBeGreaterThan(0.1);
  });
});

describe('the record-level linker on the corpus', () => {
  it('counts persons within 1 % of the truth where the exact pseudonym over-counts, and its revisions replay to its final groups', () => {
    const encoder = createLinkageEncoder(secret);
    const linker = createLinker(secret);
    // What a store would hold: each record's person key, as linked, then as revised by later merges.
    const stored = new Map<string, string>();
    for (const record of corpus.records) {
      const ref = { providerId: record.providerId, recordId: record.recordId };
      const { personKey, revisions } = linker.link(ref, encoder.encode(record.identity)!);
      stored.set(`${ref.providerId}/${ref.recordId}`, personKey);
      for (const revision of revisions) {
        const key = `${revision.providerId}/${revision.recordId}`;
        expect(stored.get(key)).toBe(revision.from);
        stored.set(key, revision.to);
      }
    }
    const final = corpus.records.map((r) => linker.personKeyOf(r)!);
    expect([...stored.values()]).toEqual(final);
    expect(linker.merges).toBeGreaterThan(0);
    expect(linker.revisedRecords).toBeGreaterThanOrEqual(linker.merges);
    const truePersons = new Set(truth).size;
    const fuzzyPersons = new Set(final).size;
    const exactPersons = new Set(
      corpus.records.map((r) =>
        personKeyOf({ secret, providerId: r.providerId, recordId: r.recordId, identity: r.identity }),
      ),
    ).size;
    expect(fuzzyPersons).toBe(linker.persons);
    expect(Math.abs(fuzzyPersons - truePersons) / truePersons).toBeLessThanOrEqual(0.01);
    expect((exactPersons - truePersons) / truePersons).toBeGreaterThan(0.1);
    expect(linkQuality(truth, final).f1).toBeGreaterThanOrEqual(0.95);
  });

  it('forgets withdrawn records: persons are those of the records left', () => {
    const encoder = createLinkageEncoder(secret);
    const linker = createLinker(secret);
    for (const record of corpus.records) linker.link(record, encoder.encode(record.identity)!);
    const withdrawn = corpus.records.filter((_, i) => i % 10 === 0);
    for (const record of withdrawn) linker.unlink(record);
    const left = corpus.records.filter((_, i) => i % 10 !== 0);
    expect(linker.records).toBe(left.length);
    expect(withdrawn.every((r) => linker.personKeyOf(r) === undefined)).toBe(true);
    expect(new Set(left.map((r) => linker.personKeyOf(r))).size).toBe(linker.persons);
    const truePersonsLeft = new Set(left.map((r) => r.personId)).size;
    expect(Math.abs(linker.persons - truePersonsLeft) / truePersonsLeft).toBeLessThanOrEqual(0.01);
  });
});
