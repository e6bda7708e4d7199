import { describe, expect, it } from 'vitest';
import { createLinkageEncoder, createLinkageIndex, linkQuality, personKeyOf } from '@mosy/core';
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
