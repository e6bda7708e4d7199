import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { READS_OF_A_MOVING_TABLE, publishConsistent } from './consistent.js';

/** A table of cells and a margin; publishing refuses a margin below its largest cell, as disclosure control does. */
interface Table {
  readonly cells: readonly number[];
  readonly margin: number;
}
const publish = (t: Table): number => {
  if (t.margin < Math.max(...t.cells)) throw new MosyError('internal', 'Cannot protect the table');
  return t.margin;
};

describe('publishing a table read while records arrive', () => {
  it('reads again a table whose parts came from different moments', async () => {
    const reads: Table[] = [
      { cells: [3, 2], margin: 2 },
      { cells: [3, 3], margin: 5 },
    ];
    let n = 0;
    expect(await publishConsistent(() => Promise.resolve(reads[n++]!), publish)).toBe(5);
    expect(n).toBe(2);
  });

  it('answers 503 (unavailable) when the table is still moving after the last read', async () => {
    let n = 0;
    const moving = () => Promise.resolve({ cells: [n + 2], margin: n++ });
    await expect(publishConsistent(moving, publish)).rejects.toMatchObject({ code: 'unavailable' });
    expect(n).toBe(READS_OF_A_MOVING_TABLE);
  });

  it('keeps a 500 for a table that fails twice with the same numbers: it did not move, it is a bug', async () => {
    let n = 0;
    const still = () => Promise.resolve({ cells: [3], margin: (n++, 1) });
    await expect(publishConsistent(still, publish)).rejects.toMatchObject({ code: 'internal' });
    expect(n).toBe(2);
  });
});
