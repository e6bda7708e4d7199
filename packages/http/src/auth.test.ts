import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// Spy on the one comparison the helper may use, keeping node's implementation.
const compared = vi.hoisted(() => [] as [Buffer, Buffer][]);
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  return {
    ...crypto,
    timingSafeEqual: (a: Buffer, b: Buffer) => {
      compared.push([a, b]);
      return crypto.timingSafeEqual(a, b);
    },
  };
});

const { createKeyVerifier, secretsEqual } = await import('./auth.js');

describe('secretsEqual', () => {
  it('compares with timingSafeEqual on two 32-byte digests, whatever the lengths of the secrets', () => {
    compared.length = 0;
    expect(secretsEqual('admin-token-1234', 'admin-token-1234')).toBe(true);
    expect(secretsEqual('admin-token-1234', 'admin-token-1235')).toBe(false);
    // Lengths that differ would make timingSafeEqual throw on the raw strings; on digests they cannot.
    expect(secretsEqual('short', 'a much longer secret than the other one')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
    expect(compared).toHaveLength(4);
    for (const [a, b] of compared) {
      expect(a.length).toBe(32);
      expect(b.length).toBe(32);
    }
  });

  it('is what the key verifier compares the bootstrap admin token with', () => {
    const registry = { findKey: () => Promise.resolve(undefined) } as unknown as Parameters<
      typeof createKeyVerifier
    >[0]['registry'];
    const verifier = createKeyVerifier({ registry, adminToken: 'the-bootstrap-token' });
    compared.length = 0;
    expect(verifier.credentialOf('the-bootstrap-token')).toEqual({ kind: 'bootstrap' });
    expect(verifier.credentialOf('the-bootstrap-tokeN')).toMatchObject({ kind: 'key' });
    expect(compared).toHaveLength(2);
  });
});
