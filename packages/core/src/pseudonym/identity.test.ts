import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameTokens, normalizeDateOfBirth, normalizeIdentity } from './identity.js';

describe('nameTokens', () => {
  it('folds case, accents and punctuation', () => {
    expect(nameTokens('José Conceição')).toEqual(['jose', 'conceicao']);
    expect(nameTokens("O'Brien")).toEqual(['obrien']);
    expect(nameTokens('Jean-Pierre  N. Dupont')).toEqual(['jean', 'pierre', 'n', 'dupont']);
    expect(nameTokens('ＡＮＡ')).toEqual(['ana']);
    expect(nameTokens('Łukasz Straße')).toEqual(['łukasz', 'strasse']);
    expect(nameTokens('STRASSE')).toEqual(['strasse']);
    expect(nameTokens(' ,.- ')).toEqual([]);
  });
});

describe('normalizeDateOfBirth', () => {
  it('reads the accepted formats, day first', () => {
    for (const s of [
      '1992-01-05',
      '19920105',
      '05/01/1992',
      '5/1/1992',
      '05-01-1992',
      '05.01.1992',
      ' 05.01.1992 ',
    ])
      expect(normalizeDateOfBirth(s)).toBe('1992-01-05');
  });
  it('refuses dates that do not exist or are not recognised', () => {
    for (const s of [
      '1992-02-30',
      '31/04/1992',
      '1992-13-01',
      '01/13/1992',
      'Jan 5 1992',
      '92-01-05',
      '',
      '1992-1-5',
    ])
      expect(normalizeDateOfBirth(s)).toBeUndefined();
  });
});

describe('normalizeIdentity', () => {
  it('pools, deduplicates and sorts the name tokens of every name field', () => {
    expect(
      normalizeIdentity({ givenName: 'Ana Maria', familyName: 'Silva', dateOfBirth: '05/01/1992' }),
    ).toEqual({
      nameTokens: ['ana', 'maria', 'silva'],
      dateOfBirth: '1992-01-05',
    });
    expect(normalizeIdentity({ fullName: 'SILVA, Ana-María', name: 'Ana Silva' })).toEqual({
      nameTokens: ['ana', 'maria', 'silva'],
    });
  });
  it('ignores other identifiers', () => {
    expect(normalizeIdentity({ documentNumber: 'P1234567', phone: '+351 900 000 000' })).toEqual({
      nameTokens: [],
    });
  });
  it('does not depend on word order or on which field holds which part (property)', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 5 }),
        (words, cut) => {
          const at = Math.min(cut, words.length);
          const split = normalizeIdentity({
            givenName: words.slice(0, at).join(' '),
            familyName: words.slice(at).join('-'),
          });
          const whole = normalizeIdentity({ fullName: [...words].reverse().join(', ').toUpperCase() });
          expect(split).toEqual(whole);
        },
      ),
    );
  });
});
