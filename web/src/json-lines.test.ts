import { describe, expect, it } from 'vitest';
import { lineOfPath, syntaxError } from './json-lines.js';

const TEXT = `{
  "format": "mosy-mapping/1",
  "fields": {
    "sex": {
      "from": "gender",
      "values": { "F.": "F", "male": "Q" }
    },
    "citizenship": { "from": ["a", "b"] }
  }
}`;

describe('lineOfPath', () => {
  it('finds the line of a property by its path, keys with dots included', () => {
    expect(lineOfPath(TEXT, 'format')).toBe(2);
    expect(lineOfPath(TEXT, 'fields.sex')).toBe(4);
    expect(lineOfPath(TEXT, 'fields.sex.from')).toBe(5);
    expect(lineOfPath(TEXT, 'fields.sex.values.male')).toBe(6);
    expect(lineOfPath(TEXT, 'fields.sex.values.F.')).toBe(6);
    expect(lineOfPath(TEXT, 'fields.citizenship.from.1')).toBe(8);
  });

  it('falls back to the deepest part of the path that is there, and to line 1 for the whole document', () => {
    expect(lineOfPath(TEXT, 'fields.sex.split')).toBe(4);
    expect(lineOfPath(TEXT, 'drop')).toBe(1);
    expect(lineOfPath(TEXT, '')).toBe(1);
  });

  it('gives no line for a text that is not JSON, and says where the syntax breaks', () => {
    expect(lineOfPath('{"a": ', 'a')).toBeUndefined();
    expect(syntaxError('{\n  "a": 1,\n}')).toEqual({ line: 3, message: 'PropertyNameExpected' });
    expect(syntaxError(TEXT)).toBeUndefined();
  });
});
