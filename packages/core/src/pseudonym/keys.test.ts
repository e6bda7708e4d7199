import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMosyError } from '../errors.js';
import { assertSecret, cellRecordKey, personKeyOf } from './keys.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const ref = { secret, providerId: 'apav', recordId: 'case-1' };
const hex = (message: string, key = secret): string =>
  createHmac('sha256', key).update(message).digest('hex');

describe('personKeyOf', () => {
  it('is the HMAC of the normalised identity when it has a name and a date of birth', () => {
    const identity = {
      givenName: 'Ana Maria',
      familyName: 'Silva',
      dateOfBirth: '05/01/1992',
      documentNumber: 'X1',
    };
    expect(personKeyOf({ ...ref, identity })).toBe(`p:${hex('mosy-person/1|ana maria silva|1992-01-05')}`);
  });

  it('matches the same person across providers, records and spellings', () => {
    const a = personKeyOf({
      ...ref,
      identity: { givenName: 'José', familyName: 'Conceição', dateOfBirth: '1980-07-31' },
    });
    const b = personKeyOf({
      secret,
      providerId: 'psp',
      recordId: 'other',
      identity: { fullName: 'CONCEICAO, Jose', dateOfBirth: '31.07.1980' },
    });
    expect(b).toBe(a);
  });

  it('tells different people apart: a typo or another birthday is another person', () => {
    const base = { givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1992-01-05' };
    const key = personKeyOf({ ...ref, identity: base });
    expect(personKeyOf({ ...ref, identity: { ...base, familyName: 'Sliva' } })).not.toBe(key);
    expect(personKeyOf({ ...ref, identity: { ...base, dateOfBirth: '1992-01-06' } })).not.toBe(key);
  });

  it('falls back to a keyed hash of provider and record without a name or a valid date of birth', () => {
    const fallback = `r:${hex('mosy-record/1|apav|case-1')}`;
    expect(personKeyOf(ref)).toBe(fallback);
    expect(personKeyOf({ ...ref, identity: { givenName: 'Ana', dateOfBirth: '1992-02-30' } })).toBe(fallback);
    expect(personKeyOf({ ...ref, identity: { dateOfBirth: '1992-01-05', documentNumber: 'X1' } })).toBe(
      fallback,
    );
    expect(personKeyOf({ ...ref, identity: { givenName: '--', dateOfBirth: '1992-01-05' } })).toBe(fallback);
    expect(fallback).not.toContain('apav');
    expect(fallback).not.toContain('case-1');
  });

  it('depends on the secret', () => {
    const other = 'another-secret-of-at-least-32-bytes!';
    expect(personKeyOf({ ...ref, secret: other })).toBe(`r:${hex('mosy-record/1|apav|case-1', other)}`);
    expect(personKeyOf({ ...ref, secret: Buffer.from(secret) })).toBe(personKeyOf(ref));
  });
});

describe('cellRecordKey', () => {
  it('is the first 32 bits of an HMAC of provider and record', () => {
    const expected = Number.parseInt(hex('mosy-cellkey/1|apav|case-1').slice(0, 8), 16);
    expect(cellRecordKey(ref)).toBe(expected);
  });

  it('is an integer in [0, 2^32), stable per record (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (recordId) => {
        const key = cellRecordKey({ ...ref, recordId });
        expect(Number.isInteger(key) && key >= 0 && key < 2 ** 32).toBe(true);
        expect(cellRecordKey({ ...ref, recordId })).toBe(key);
      }),
    );
  });

  it('is spread evenly: 4000 keys fill 8 buckets within 4 sigma', () => {
    const buckets = new Array<number>(8).fill(0);
    for (let i = 0; i < 4000; i++) {
      const key = cellRecordKey({ ...ref, recordId: `r${i}` });
      buckets[Math.floor(key / 2 ** 29)]! += 1;
    }
    // Binomial(4000, 1/8): mean 500, sd ≈ 20.9.
    for (const count of buckets) expect(Math.abs(count - 500)).toBeLessThan(84);
  });
});

describe('assertSecret', () => {
  it('refuses a secret shorter than 32 bytes, without echoing it', () => {
    try {
      personKeyOf({ ...ref, secret: 'short-secret' });
      expect.unreachable();
    } catch (error) {
      expect(isMosyError(error) && error.message).toBe(
        'The pseudonym secret must be at least 32 bytes long; the one configured has 12.',
      );
    }
    expect(() => cellRecordKey({ ...ref, secret: new Uint8Array(31) })).toThrow(/at least 32 bytes/);
    expect(() => assertSecret(new Uint8Array(32))).not.toThrow();
    // 16 characters of two bytes each are 32 bytes.
    expect(() => assertSecret('é'.repeat(16))).not.toThrow();
  });
});
