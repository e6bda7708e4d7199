import { describe, expect, it } from 'vitest';
import { createBlockTable } from './block-table.js';
import { createLinkageEncoder, type LinkageEncoding } from './encoder.js';
import { createLinkageIndex } from './linkage-index.js';

const encoder = createLinkageEncoder('a-test-secret-of-at-least-32-bytes!!');
const encode = (givenName: string, familyName: string, dateOfBirth?: string): LinkageEncoding =>
  encoder.encode({ givenName, familyName, ...(dateOfBirth === undefined ? {} : { dateOfBirth }) })!;

describe('createBlockTable', () => {
  it('returns the records of a key newest first, up to a limit, and grows', () => {
    const table = createBlockTable();
    for (let r = 0; r < 20_000; r++) table.insert(r % 7 === 0 ? 0xffffffff : r * 2654435761, r);
    const seen: number[] = [];
    table.visit(0xffffffff, 3, (r) => seen.push(r));
    expect(seen).toEqual([19999, 19992, 19985]);
    const one: number[] = [];
    table.visit(5 * 2654435761, 10, (r) => one.push(r));
    expect(one).toEqual([5]);
    table.visit(12345, 10, () => expect.unreachable());
  });
});

describe('createLinkageIndex', () => {
  it('starts, joins and queries persons', () => {
    const index = createLinkageIndex();
    expect(index.add(encode('Ioana', 'Popescu', '1994-03-07'))).toEqual({ kind: 'new', record: 0, group: 0 });
    expect(index.add(encode('Maria', 'Ionescu', '1988-10-01'))).toMatchObject({ kind: 'new', group: 1 });
    expect(index.add(encode('POPESCU', 'IOANNA', '07/03/1994'))).toMatchObject({ kind: 'joined', group: 0 });
    expect(index.query(encode('Maria', 'Ionescu', '1988-01-10'))).toMatchObject({ group: 1 });
    expect(index.query(encode('Maria', 'Ionescu', '1960-05-05'))).toBeUndefined();
    expect([index.records, index.groups, index.members(0), index.groupOf(2)]).toEqual([3, 2, [0, 2], 0]);
    expect(() => index.groupOf(3)).toThrow(RangeError);
  });

  it('merges two groups when a record bridges them and all pairs agree', () => {
    const index = createLinkageIndex();
    index.add(encode('Ioana', 'Popescu', '1994-03-07'));
    // Without a date, a name with a typo falls short of the link threshold (the name score is scaled by 0.95).
    expect(index.add(encode('Ioana', 'Popesci'))).toMatchObject({ kind: 'new', group: 1 });
    // With the date, the same spelling links to both (best to the same spelling), and the pair across is above the
    // group threshold: the first group is absorbed.
    expect(index.add(encode('Ioana', 'Popesci', '1994-03-07'))).toMatchObject({
      kind: 'merged',
      group: 1,
      absorbed: [0],
    });
    expect(index.groups).toBe(1);
    expect(index.members(1)).toEqual([0, 1, 2]);
    expect(index.members(0)).toEqual([]);
  });

  it('does not chain: a record like the newest member but not like the oldest starts its own group', () => {
    // Scores: A–B 0.94, B–C 0.89, A–C 0.82. Single-link grouping would put C with A through B.
    const index = createLinkageIndex({ linkThreshold: 0.85, groupThreshold: 0.83 });
    index.add(encode('Maria', 'Santos', '1990-01-05'));
    expect(index.add(encode('Maria', 'Santos Silva', '1990-01-05'))).toMatchObject({
      kind: 'joined',
      group: 0,
    });
    expect(index.add(encode('Maria Ana', 'Silva', '1990-01-05'))).toMatchObject({ kind: 'new', group: 1 });
  });
});
