import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { MAX_LITERAL_LENGTH, sqlIdentifier, sqlLiteral } from './literal.js';

const ALLOWED = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _-+.:/');

const rejects = (value: string): void => {
  let thrown: unknown;
  try {
    sqlLiteral(value);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(MosyError);
  expect((thrown as MosyError).code).toBe('invalid-query');
};

describe('sqlLiteral', () => {
  it('quotes codes, ids and dates unchanged', () => {
    for (const value of [
      'F',
      'PT11',
      '65+',
      '0-11',
      'prov-a',
      '2026-03-14',
      'NOT_CONFIRMED',
      'a b_c-d+e.f:g/h',
      '',
    ]) {
      expect(sqlLiteral(value)).toBe(`'${value}'`);
    }
  });

  it('refuses quotes, backslashes, control characters, SQL punctuation and non-ASCII', () => {
    for (const value of [
      "'",
      "O'Brien",
      "F'; DROP TABLE records_current; --",
      "' OR '1'='1",
      '\\',
      "\\'",
      'F\\',
      '"',
      '`',
      '\u0000',
      'F\u0000',
      '\n',
      '\r',
      '\t',
      ';',
      '/*',
      '%',
      '*',
      '(',
      ')',
      ',',
      '=',
      '?',
      '$1',
      '{x}',
      '[0]',
      '<',
      '|',
      '&',
      '!',
      '#',
      '@',
      '~',
      '^',
      'é',
      'Ü',
      '✓',
      'Ａ',
      'a\u0301',
      '\u2028',
      '\uFEFF',
      '\uD800',
      '😀',
    ]) {
      rejects(value);
    }
  });

  it('accepts a dash pair, harmless inside a literal', () => {
    expect(sqlLiteral('a--b')).toBe("'a--b'");
  });

  it('accepts exactly the whitelisted characters, checked for every UTF-16 code unit', () => {
    const accepted: string[] = [];
    const wrongErrors: unknown[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      try {
        if (sqlLiteral(char) === `'${char}'`) accepted.push(char);
      } catch (error) {
        if (!(error instanceof MosyError && error.code === 'invalid-query')) wrongErrors.push(error);
      }
    }
    expect(wrongErrors).toEqual([]);
    expect(accepted.join('')).toBe(' +-./0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
    expect(accepted).toHaveLength(ALLOWED.size);
  }, 60_000);

  it('refuses values longer than the limit and values that are not strings', () => {
    expect(sqlLiteral('A'.repeat(MAX_LITERAL_LENGTH))).toHaveLength(MAX_LITERAL_LENGTH + 2);
    rejects('A'.repeat(MAX_LITERAL_LENGTH + 1));
    rejects(42 as unknown as string);
    rejects(undefined as unknown as string);
    rejects(['F'] as unknown as string);
  });

  it('either refuses a string or returns it quoted, with nothing to escape', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        let literal: string;
        try {
          literal = sqlLiteral(value);
        } catch (error) {
          expect(error).toMatchObject({ code: 'invalid-query' });
          expect([...value].some((char) => !ALLOWED.has(char))).toBe(true);
          return;
        }
        expect(literal).toBe(`'${value}'`);
        expect([...literal.slice(1, -1)].every((char) => ALLOWED.has(char))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});

describe('sqlIdentifier', () => {
  it('accepts plain and database-qualified names', () => {
    expect(sqlIdentifier('records_current')).toBe('records_current');
    expect(sqlIdentifier('mosy.records_current')).toBe('mosy.records_current');
    expect(sqlIdentifier('_t1')).toBe('_t1');
  });

  it('refuses anything else', () => {
    for (const name of [
      '',
      '1table',
      'a-b',
      'a b',
      'a;b',
      'a.b.c',
      '"t"',
      '`t`',
      't--',
      'ü',
      'a'.repeat(64),
    ]) {
      expect(() => sqlIdentifier(name)).toThrow(MosyError);
    }
  });
});
