/**
 * The contract every `AuditLog` adapter passes, run by each adapter's tests in a few lines:
 * `runAuditLogContract({ create })`. Each test gets a fresh, empty log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '@mosy/core';

export interface AuditLogContractOptions {
  /** A fresh, empty audit log (migrated) and how to dispose of it. */
  readonly create: () => Promise<{ readonly audit: AuditLog; readonly close: () => Promise<void> }>;
}

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: 1_700_000_000_000,
  keyId: 'key_1',
  role: 'coordinator',
  action: 'read-unprotected',
  resource: '/v1/indicators/victims/values',
  query: 'by=sex&protection=none',
  ...overrides,
});

export function runAuditLogContract(options: AuditLogContractOptions): void {
  describe('AuditLog contract', () => {
    let audit: AuditLog;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ audit, close } = await options.create());
    });
    afterEach(async () => {
      await close();
    });

    it('starts empty', async () => {
      expect(await audit.list()).toEqual([]);
    });

    it('keeps every field of an entry as recorded', async () => {
      const odd = entry({ query: 'a=1&b=\'x\'%20"y"&c=é,ü', resource: '/v1/reports/simple/victims' });
      await audit.record(odd);
      expect(await audit.list()).toEqual([odd]);
    });

    it('lists newest first, entries of the same time in reverse order of recording', async () => {
      await audit.record(entry({ at: 1000, keyId: 'a' }));
      await audit.record(entry({ at: 3000, keyId: 'b' }));
      await audit.record(entry({ at: 2000, keyId: 'c' }));
      await audit.record(entry({ at: 3000, keyId: 'd' }));
      expect((await audit.list()).map((e) => e.keyId)).toEqual(['d', 'b', 'c', 'a']);
    });

    it('filters by time and limits the count', async () => {
      for (let i = 1; i <= 5; i++) await audit.record(entry({ at: i * 1000, keyId: `k${i}` }));
      expect((await audit.list({ since: 3000 })).map((e) => e.keyId)).toEqual(['k5', 'k4', 'k3']);
      expect((await audit.list({ limit: 2 })).map((e) => e.keyId)).toEqual(['k5', 'k4']);
      expect((await audit.list({ since: 2000, limit: 1 })).map((e) => e.keyId)).toEqual(['k5']);
      expect(await audit.list({ since: 6000 })).toEqual([]);
    });

    it('keeps many entries, each once', async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => audit.record(entry({ at: 1000 + i, keyId: `k${i}` }))),
      );
      const listed = await audit.list();
      expect(listed).toHaveLength(50);
      expect(new Set(listed.map((e) => e.keyId)).size).toBe(50);
      expect(listed[0]!.keyId).toBe('k49');
    });
  });
}
