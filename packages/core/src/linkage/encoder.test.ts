import { describe, expect, it } from 'vitest';
import { createLinkageEncoder, type LinkageEncoding } from './encoder.js';
import { ENCODING_WORDS } from './encoding.js';
import { linkageScore } from './score.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const encoder = createLinkageEncoder(secret);
const encode = (identity: Record<string, string>): LinkageEncoding => encoder.encode(identity)!;
const score = (a: Record<string, string>, b: Record<string, string>): number =>
  linkageScore(encode(a).bits, encode(b).bits);

const ioana = { givenName: 'Ioana', familyName: 'Popescu', dateOfBirth: '1994-03-07' };

describe('the linkage encoding', () => {
  it('is deterministic given the secret, and 640 bits', () => {
    expect(encode(ioana).bits).toEqual(createLinkageEncoder(secret).encode(ioana)!.bits);
    expect(encode(ioana).bits).toHaveLength(ENCODING_WORDS);
    expect(encoder.encode({ givenName: '--', dateOfBirth: '1994-03-07' })).toBeUndefined();
  });

  it('scores the same person written differently high', () => {
    expect(score(ioana, { ...ioana, givenName: 'Ioanna' })).toBeGreaterThanOrEqual(0.9);
    expect(score(ioana, { givenName: 'POPESCU', familyName: 'IOANA', dateOfBirth: '07/03/1994' })).toBe(1);
    expect(score(ioana, { ...ioana, dateOfBirth: '1994-07-03' })).toBeGreaterThanOrEqual(0.85);
    expect(score(ioana, { ...ioana, familyName: 'Popsecu' })).toBeGreaterThanOrEqual(0.8);
    const olena = { givenName: 'Олена', familyName: 'Коваленко', dateOfBirth: '1990-01-02' };
    expect(score(olena, { ...olena, givenName: 'Olena', familyName: 'Kovalenko' })).toBe(1);
    expect(score(olena, { ...olena, givenName: 'Elena', familyName: 'Kovalenko' })).toBeGreaterThanOrEqual(
      0.85,
    );
  });

  it('scores other people low', () => {
    expect(score(ioana, { ...ioana, dateOfBirth: '1971-11-25' })).toBeLessThan(0.8);
    // Another name on the same birthday: the date part alone gives half the score.
    expect(
      score(ioana, { givenName: 'Maria', familyName: 'Ionescu', dateOfBirth: '1994-03-07' }),
    ).toBeLessThan(0.8);
  });

  it('with one date of birth missing, links on a nearly exact name only', () => {
    const { dateOfBirth: _, ...noDate } = ioana;
    expect(score(ioana, noDate)).toBeCloseTo(0.95);
    expect(score(ioana, { ...noDate, familyName: 'Popsecu' })).toBeLessThan(0.8);
  });

  it('contains no name or date in clear, and changes with the secret (leak check)', () => {
    const identity = { givenName: 'Ioana Maria', familyName: 'Popescu', dateOfBirth: '1994-03-07' };
    const encoding = encode(identity);
    const bytes = Buffer.concat(
      [encoding.bits, encoding.blockKeys, encoding.probeKeys].map((array) => Buffer.from(array.buffer)),
    );
    const texts = [
      bytes.toString('latin1').toLowerCase(),
      bytes.toString('utf8').toLowerCase(),
      bytes.toString('hex'),
    ];
    for (const needle of ['ioana', 'maria', 'popescu', 'pope', 'scu', '1994', '0307'])
      for (const text of texts) expect(text).not.toContain(needle);
    const other = createLinkageEncoder('another-secret-of-at-least-32-bytes!').encode(identity)!;
    expect(other.bits).not.toEqual(encoding.bits);
    expect([...other.probeKeys].some((k) => encoding.probeKeys.includes(k))).toBe(false);
    // Another key's encoding of the same person is as unrelated as another person's.
    expect(linkageScore(other.bits, encoding.bits)).toBeLessThan(0.7);
  });

  it('refuses a short secret', () => {
    expect(() => createLinkageEncoder('short')).toThrow(/at least 32 bytes/);
  });
});
