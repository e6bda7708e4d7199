import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
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
