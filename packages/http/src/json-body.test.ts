import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, checkJsonBytes, jsonDepth } from './json-body.js';

const bytes = (text: string): Buffer => Buffer.from(text);

describe('jsonDepth', () => {
  it('counts the nesting of arrays and objects, not of brackets inside strings', () => {
    expect(jsonDepth(bytes('1'))).toBe(0);
    expect(jsonDepth(bytes('{"a":[1,{"b":[]}]}'))).toBe(4);
    expect(jsonDepth(bytes('{"a":"[[[{{{"}'))).toBe(1);
    // An escaped quote does not end the string.
    expect(jsonDepth(bytes('{"a":"x\\"[[[[","b":[[]]}'))).toBe(3);
    expect(jsonDepth(bytes('[[],[],[[]]]'))).toBe(3);
  });

  it('tells an escaped backslash before a closing quote from an escaped quote', () => {
    expect(jsonDepth(bytes('{"a":"x\\\\","b":[[]]}'))).toBe(3);
    expect(jsonDepth(bytes('{"a":"x\\\\\\"[[","b":[]}'))).toBe(2);
    expect(jsonDepth(bytes('["\\""]'))).toBe(1);
    // An unterminated string ends the count (the parser refuses such a body anyway).
    expect(jsonDepth(bytes('[[{"a'))).toBe(3);
  });

  it('agrees with a byte-by-byte walk on random bodies of brackets, quotes and backslashes (property)', () => {
    const reference = (input: Uint8Array): number => {
      let depth = 0;
      let deepest = 0;
      let inString = false;
      for (let i = 0; i < input.length; i++) {
        const b = input[i];
        if (inString) {
          if (b === 0x5c) i++;
          else if (b === 0x22) inString = false;
        } else if (b === 0x22) inString = true;
        else if (b === 0x5b || b === 0x7b) deepest = Math.max(deepest, ++depth);
        else if (b === 0x5d || b === 0x7d) depth--;
      }
      return deepest;
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'[]{}"\\a,'), { maxLength: 60 }), (chars) => {
        const input = bytes(chars.join(''));
        expect(jsonDepth(input)).toBe(reference(input));
      }),
      { numRuns: 5000 },
    );
  });

  it('stops counting past the limit', () => {
    expect(jsonDepth(bytes('['.repeat(1_000_000)), 5)).toBe(6);
  });
});

describe('checkJsonBytes', () => {
  it('accepts UTF-8 up to the depth limit', () => {
    expect(() =>
      checkJsonBytes(bytes(`${'['.repeat(MAX_JSON_DEPTH)}"Jo\u00e3o"${']'.repeat(MAX_JSON_DEPTH)}`)),
    ).not.toThrow();
  });

  it('refuses bytes that are not UTF-8, and nesting past the limit, as invalid-request', () => {
    expect(() => checkJsonBytes(Buffer.from('{"name":"Jo\u00e3o"}', 'latin1'))).toThrow(
      new MosyError(
        'invalid-request',
        'The request body is not valid UTF-8; JSON must be sent in UTF-8 (a CSV file may be Windows-1252).',
      ),
    );
    expect(() =>
      checkJsonBytes(bytes(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)),
    ).toThrow(`more than ${MAX_JSON_DEPTH} levels deep`);
  });
});
