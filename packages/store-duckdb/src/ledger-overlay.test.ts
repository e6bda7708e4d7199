// The write-behind ledger's overlay: what acknowledged entries set, until the entries that set it are applied.
import { describe, expect, it } from 'vitest';
import type { SubmissionEntry } from '@mosy/core';
import { LedgerOverlay } from './ledger-overlay.js';

const entry = (
  submissionId: string,
  accepted: readonly [string, number][],
  providerId = 'ngo-1',
): SubmissionEntry => ({
  accepted: accepted.map(([recordId, version]) => ({ recordId, version })),
  quality: [],
  receipt: {
    submissionId,
    providerId,
    receivedAt: accepted.length,
    accepted: accepted.length,
    duplicates: 0,
    rejected: 0,
    records: accepted.map(([recordId, version]) => ({ recordId, version, status: 'accepted' as const })),
  },
});

describe('LedgerOverlay', () => {
  it('answers the highest version held per record of a provider, and nothing for others', () => {
    const overlay = new LedgerOverlay();
    overlay.add(
      0,
      entry('s1', [
        ['a', 2],
        ['b', 1],
      ]),
    );
    overlay.add(1, entry('s2', [['a', 3]]));
    // A lower version after a higher one (accepted twice around a crash) does not lower it.
    overlay.add(2, entry('s3', [['b', 0]]));
    overlay.add(3, entry('s4', [['a', 9]], 'ngo-2'));
    expect(overlay.versions('ngo-1', ['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    );
    expect(overlay.versions('ngo-3', ['a'])).toEqual(new Map());
  });

  it('drops what applied entries set, but keeps what a later entry set again', () => {
    const overlay = new LedgerOverlay();
    overlay.add(
      10,
      entry('s1', [
        ['a', 1],
        ['b', 1],
      ]),
    );
    overlay.add(11, entry('s2', [['a', 2]]));
    overlay.add(12, entry('s1', [['c', 1]]));
    overlay.appliedUpTo(11);
    expect(overlay.versions('ngo-1', ['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', 2],
        ['c', 1],
      ]),
    );
    // s1 was saved again at 12: that receipt stands until 12 is applied.
    expect(overlay.receipt('ngo-1', 's1')).toEqual(entry('s1', [['c', 1]]).receipt);
    overlay.appliedUpTo(12);
    expect(overlay.versions('ngo-1', ['a', 'c'])).toEqual(new Map([['c', 1]]));
    expect(overlay.receipt('ngo-1', 's2')).toBeUndefined();
    overlay.appliedUpTo(13);
    expect(overlay.versions('ngo-1', ['a', 'b', 'c'])).toEqual(new Map());
    expect(overlay.receipt('ngo-1', 's1')).toBeUndefined();
  });

  it('keeps receipts per provider', () => {
    const overlay = new LedgerOverlay();
    overlay.add(0, entry('s1', [['a', 1]], 'ngo-1'));
    expect(overlay.receipt('ngo-1', 's1')?.providerId).toBe('ngo-1');
    expect(overlay.receipt('ngo-2', 's1')).toBeUndefined();
  });

  it('refuses positions out of order', () => {
    const overlay = new LedgerOverlay();
    overlay.add(5, entry('s1', []));
    expect(() => overlay.add(5, entry('s2', []))).toThrow(/position 5 after 5/);
  });
});
