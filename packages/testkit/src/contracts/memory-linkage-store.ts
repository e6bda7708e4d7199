/**
 * A `LinkageStore` in memory, for unit tests of the linker stage: the contract's semantics in a few lines (a
 * record's row moves to the end of the linking order when it changes; an unlinked record keeps its version only).
 * `failNextWrite` makes the next
 * write reject without a trace, as a store that is down would.
 */
import type { LinkageStore, LinkageTotals, StoredLinkage } from '@mosy/core';

export interface MemoryLinkageStore extends LinkageStore {
  /** The next `write` rejects and changes nothing. */
  failNextWrite(): void;
  /** Writes so far (those that resolved). */
  readonly writes: number;
}

export function createMemoryLinkageStore(): MemoryLinkageStore {
  const rows = new Map<string, StoredLinkage>();
  let totals: LinkageTotals = { merges: 0, revisedRecords: 0 };
  let fail = false;
  let writes = 0;
  /** Grows with every change, like a store's position. */
  let generation = 0;
  const keyOf = (ref: { providerId: string; recordId: string }): string =>
    `${ref.providerId}\u0000${ref.recordId}`;
  return {
    load: () => Promise.resolve([...rows.values()]),
    write(write) {
      if (fail) {
        fail = false;
        return Promise.reject(new Error('linkage store unavailable'));
      }
      for (const change of write.changes) {
        rows.delete(keyOf(change));
        rows.set(keyOf(change), {
          providerId: change.providerId,
          recordId: change.recordId,
          version: change.version,
          ...(change.encoding === undefined ? {} : { encoding: change.encoding }),
          ...(change.personKey === undefined ? {} : { personKey: change.personKey }),
        });
      }
      for (const relink of write.relinks) {
        const row = rows.get(keyOf(relink));
        if (row !== undefined) rows.set(keyOf(relink), { ...row, personKey: relink.personKey });
      }
      totals = {
        merges: totals.merges + write.merges,
        revisedRecords: totals.revisedRecords + write.revisedRecords,
      };
      writes += 1;
      generation += 1;
      return Promise.resolve();
    },
    totals: () => Promise.resolve(totals),
    position: () => Promise.resolve(String(generation)),
    clear() {
      const records = rows.size;
      rows.clear();
      totals = { merges: 0, revisedRecords: 0 };
      generation += 1;
      return Promise.resolve(records);
    },
    failNextWrite() {
      fail = true;
    },
    get writes() {
      return writes;
    },
  };
}
