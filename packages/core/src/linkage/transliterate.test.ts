import { describe, expect, it } from 'vitest';
import { nameTokens } from '../pseudonym/identity.js';
import { foldNameToken } from './transliterate.js';

const fold = (name: string): string[] => nameTokens(name).map(foldNameToken);

describe('foldNameToken', () => {
  it('writes Cyrillic and Greek in Latin letters', () => {
    expect(fold('Олена Ковальчук')).toEqual(['olena', 'kovalchuk']);
    expect(fold('Тетяна Юлія')).toEqual(['tetiana', 'iulia']);
    expect(fold('Ελένη Παπαδοπούλου')).toEqual(['eleni', 'papadopulu']);
  });
  it('folds romanisation and spelling variants to one form', () => {
    expect(fold('Tetyana Yuliia')).toEqual(fold('Тетяна Юлія'));
    expect(fold('Julia')).toEqual(fold('Yulia'));
    expect(fold('Ioanna')).toEqual(fold('Ioana'));
    expect(fold('Kovaltschuk')).toEqual(fold('Kovalchuk'));
    expect(fold('Wiktor Łukasz')).toEqual(['viktor', 'lukasz']);
  });
});
