import { describe, expect, it } from 'vitest';
import { MAX_LITERAL_LENGTH } from '@mosy/sql';
import { opaqueText } from './opaque-text.js';

describe('opaqueText', () => {
  it('writes the UTF-8 bytes of any string as one hex literal', () => {
    expect(opaqueText("o'b\\\n")).toBe("unhex('6f27625c0a')");
    expect(opaqueText('é')).toBe("unhex('c3a9')");
    expect(opaqueText('')).toBe("unhex('')");
  });

  it('splits long values into literals sqlLiteral accepts, on byte boundaries', () => {
    const value = '𝒳'.repeat(128); // 512 bytes, 1024 hex digits
    const sql = opaqueText(value);
    const literals = [...sql.matchAll(/unhex\('([0-9a-f]*)'\)/g)].map((match) => match[1]!);
    expect(sql.startsWith('concat(')).toBe(true);
    expect(literals.map((literal) => literal.length)).toEqual([256, 256, 256, 256]);
    for (const literal of literals) expect(literal.length).toBeLessThanOrEqual(MAX_LITERAL_LENGTH);
    expect(Buffer.from(literals.join(''), 'hex').toString('utf8')).toBe(value);
  });
});
