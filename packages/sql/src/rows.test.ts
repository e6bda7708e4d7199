import { describe, expect, it } from 'vitest';
import { appliedMigrations, integer, optionalInteger, optionalText, text, toApiKey } from './rows.js';

describe('reading rows', () => {
  it('reads 64-bit integers sent as strings, and refuses wrong types as internal', () => {
    expect(integer('9007199254740991')).toBe(9007199254740991);
    expect(integer(3)).toBe(3);
    expect(() => integer('x')).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(text('a')).toBe('a');
    expect(() => text(1)).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(optionalText(null)).toBeUndefined();
  });

  it("reads either driver's integers the same, and leaves NULL members out of an API key", () => {
    const row = { id: 'k', hash: 'h', role: 'admin', provider_id: null, label: null, revoked_at: null };
    expect(integer(7n)).toBe(7);
    expect(optionalInteger(null)).toBeUndefined();
    expect(toApiKey({ ...row, created_at: 5n })).toEqual({ id: 'k', hash: 'h', role: 'admin', createdAt: 5 });
    expect(toApiKey({ ...row, created_at: '5', revoked_at: '9' })).toEqual({
      id: 'k',
      hash: 'h',
      role: 'admin',
      createdAt: 5,
      revokedAt: 9,
    });
    expect(appliedMigrations([{ version: 1, checksum: 'c' }])).toEqual(new Map([[1, 'c']]));
  });
});
