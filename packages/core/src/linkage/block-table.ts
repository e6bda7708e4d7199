/**
 * The blocks of the linkage index: a multimap from 32-bit blocking key to record numbers, in typed arrays (an
 * open-addressing table of keys to the newest entry, and per entry its record and the previous entry of the same
 * key). A million records with about ten keys each then take tens of megabytes, where a `Map` of arrays would take
 * hundreds. Visits run newest first, so a cap on the records visited per block keeps the most recent ones.
 */

const EMPTY = -1;

export interface BlockTable {
  /** Adds a record under a key. */
  insert(key: number, record: number): void;
  /** Calls `visit` with the records under a key, newest first, at most `limit` of them. */
  visit(key: number, limit: number, visit: (record: number) => void): void;
}

/** An empty block table. */
export function createBlockTable(): BlockTable {
  let keys = new Uint32Array(1 << 12);
  let heads = new Int32Array(1 << 12).fill(EMPTY);
  let used = 0;
  let entryRecord = new Int32Array(1 << 12);
  let entryPrevious = new Int32Array(1 << 12);
  let entries = 0;

  // Keys are keyed-hash outputs, already uniform: the low bits are a good slot.
  const slotOf = (key: number, table: Uint32Array, tableHeads: Int32Array): number => {
    const mask = table.length - 1;
    let slot = key & mask;
    while (tableHeads[slot] !== EMPTY && table[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  };

  const growSlots = (): void => {
    const oldKeys = keys;
    const oldHeads = heads;
    keys = new Uint32Array(oldKeys.length * 2);
    heads = new Int32Array(oldKeys.length * 2).fill(EMPTY);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === EMPTY) continue;
      const slot = slotOf(oldKeys[i]!, keys, heads);
      keys[slot] = oldKeys[i]!;
      heads[slot] = oldHeads[i]!;
    }
  };

  const growEntries = (): void => {
    const record = new Int32Array(entryRecord.length * 2);
    record.set(entryRecord);
    entryRecord = record;
    const previous = new Int32Array(entryPrevious.length * 2);
    previous.set(entryPrevious);
    entryPrevious = previous;
  };

  return {
    insert(key, record) {
      if (entries === entryRecord.length) growEntries();
      // Load factor at most one half keeps linear probing short.
      if (2 * (used + 1) > keys.length) growSlots();
      const slot = slotOf(key >>> 0, keys, heads);
      if (heads[slot] === EMPTY) {
        keys[slot] = key >>> 0;
        used += 1;
      }
      entryRecord[entries] = record;
      entryPrevious[entries] = heads[slot]!;
      heads[slot] = entries;
      entries += 1;
    },
    visit(key, limit, visit) {
      let entry = heads[slotOf(key >>> 0, keys, heads)]!;
      for (let n = 0; entry !== EMPTY && n < limit; n++) {
        visit(entryRecord[entry]!);
        entry = entryPrevious[entry]!;
      }
    },
  };
}
