import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { KEY_SPACE, cellKeyOf, keySumOf } from './cell-key.js';
import { defaultPerturbationTable, perturb } from './perturbation.js';
import { perturbTable } from './perturb-table.js';
import type { KeyedFrequencyTable, KeyedTableEntry } from './perturb-table.js';
import type { ProtectedTable } from './table.js';
import {
  T,
  additive,
  coordKeyOf,
  keys,
  peelingAttack,
  persons,
  propagate,
  published,
  toTable,
  type Dense,
} from './test-support/tables.js';

/** Property tests with many runs; the machine running them may be busy. */
const SLOW = 60_000;
const D = defaultPerturbationTable().maxPerturbation;

/** The dense table as a keyed table, each entry with its own random key sum. */
function keyedTable(dense: Dense, seed: number): KeyedFrequencyTable {
  const next = keys(seed);
  const table = toTable(dense);
  const withKey = (entry: KeyedTableEntry): KeyedTableEntry => ({ ...entry, keySum: next() });
  return {
    ...table,
    cells: table.cells.map(withKey),
    margins: table.margins.map(withKey),
    totalKeySum: next(),
  };
}

/** What the cell key method alone publishes for an entry. */
const perturbed = (entry: { value: number; keySum?: number }) =>
  perturb(entry.value, cellKeyOf(entry.keySum!), defaultPerturbationTable());

/** Every entry of the input with what was published for it, the total last. */
function pairs(table: KeyedFrequencyTable, result: ProtectedTable) {
  return [
    ...table.cells.map((entry, i) => ({ entry, shown: result.cells[i]! })),
    ...table.margins.map((entry, i) => ({ entry, shown: result.margins[i]! })),
    { entry: { key: {}, value: table.total, keySum: table.totalKeySum }, shown: result.total },
  ];
}

const tables = fc.tuple(fc.oneof(additive(3, 4), persons(3, 3)), fc.integer());

describe('perturbTable', () => {
  it('perturbs a table of its total alone, and needs every key sum', () => {
    const alone = perturbTable({ dims: [], cells: [], margins: [], total: 40, totalKeySum: 0 });
    // Key 0 falls in the first interval of the large-count row: −2.
    expect(alone.total).toEqual({ value: 38 });
    expect(alone.withheld).toBe(0);
    expect(() =>
      perturbTable({
        dims: ['sex'],
        cells: [{ key: { sex: 'F' }, value: 7 }],
        margins: [],
        total: 7,
        totalKeySum: 1,
      }),
    ).toThrow(MosyError);
    expect(() => perturbTable({ dims: [], cells: [], margins: [], total: 3 })).toThrow(/key sum/);
  });

  it('withholds the perturbed-small cell and the smallest cell that would give it away', () => {
    // Key 0 takes every count of 3 or more down by 2: 6 → 4 is withheld, and 9 → 7 hides it from the total.
    const result = perturbTable({
      dims: ['sex'],
      cells: [
        { key: { sex: 'F' }, value: 6, keySum: 0 },
        { key: { sex: 'M' }, value: 9, keySum: 0 },
        { key: { sex: 'X' }, value: 30, keySum: KEY_SPACE - 1 },
      ],
      margins: [],
      total: 45,
      totalKeySum: KEY_SPACE - 1,
    });
    expect(result.cells.map((c) => c.value)).toEqual([null, null, 32]);
    expect(result.total).toEqual({ value: 47 });
    expect(result.withheld).toBe(2);
  });

  it(
    'publishes each entry as the cell key method does, or withholds it; zeros stay 0, the rest within ±D',
    () => {
      fc.assert(
        fc.property(tables, ([dense, seed]) => {
          const table = keyedTable(dense, seed);
          const result = perturbTable(table);
          let withheld = 0;
          for (const { entry, shown } of pairs(table, result)) {
            const alone = perturbed(entry);
            if (alone.value === null) expect(shown.value).toBeNull();
            if (shown.value === null) {
              withheld++;
              expect(shown.flag).toBe('c');
              expect(entry.value).toBeGreaterThan(0);
            } else {
              expect(shown.value).toBe(alone.value);
              expect(Math.abs(shown.value - entry.value)).toBeLessThanOrEqual(D);
              expect(shown.value === 0 ? entry.value === 0 : shown.value >= T).toBe(true);
            }
          }
          expect(result.withheld).toBe(withheld);
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );

  it(
    'leaves no withheld entry recoverable from the margins, even to an attacker who knows the true published values',
    () => {
      fc.assert(
        fc.property(tables, ([dense, seed]) => {
          const table = keyedTable(dense, seed);
          const result = perturbTable(table);
          // The attacker is given the true value of every published entry: stronger than seeing perturbed ones.
          const pub = new Map(
            [...published(dense, result)].map(([key, shown]) => [
              key,
              shown === null ? null : dense.values.get(key)!,
            ]),
          );
          if (dense.additive) expect([...peelingAttack(dense, pub)]).toEqual([]);
          const bounds = propagate(dense, pub)!;
          expect(bounds).toBeDefined();
          // Withheld for their own perturbed value, not as partners of another.
          const primary = new Set(
            pairs(table, result)
              .filter(({ entry }) => perturbed(entry).value === null)
              .map(({ entry }) => coordKeyOf(dense, entry.key)),
          );
          for (const [key, value] of dense.values) {
            if (pub.get(key) !== null) continue;
            const { lo, hi } = bounds.get(key)!;
            expect(lo).toBeLessThanOrEqual(value);
            expect(hi).toBeGreaterThanOrEqual(value);
            expect(hi).toBeGreaterThan(lo);
            // Nor can a small count withheld for itself be proven small.
            if (primary.has(key) && value < T) expect(hi).toBeGreaterThanOrEqual(T);
          }
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );

  it(
    'gives the same table the same published values in any order of its entries',
    () => {
      fc.assert(
        fc.property(tables, fc.integer(), ([dense, seed], order) => {
          const table = keyedTable(dense, seed);
          const shuffle = <E>(list: readonly E[]): E[] =>
            list
              .map((e, i) => ({ e, r: Math.sin(order + i) }))
              .sort((a, b) => a.r - b.r)
              .map(({ e }) => e);
          const asMap = (r: ProtectedTable): Map<string, number | null> =>
            new Map([...r.cells, ...r.margins].map((e) => [coordKeyOf(dense, e.key), e.value]));
          const a = perturbTable(table);
          const b = perturbTable({ ...table, cells: shuffle(table.cells), margins: shuffle(table.margins) });
          expect(asMap(b)).toEqual(asMap(a));
          expect(b.total).toEqual(a.total);
          expect(perturbTable(table)).toEqual(a);
        }),
        { numRuns: 100 },
      );
    },
    SLOW,
  );

  it(
    'resists differencing between tables: all providers minus all but one rarely shows the one provider’s count',
    () => {
      // Random data sets of persons with a provider, a sex and a region. Table A counts sex × region over every
      // provider, table B over all but provider 0. Wherever A and B differ by c = 1..4 persons (cells, margins,
      // total) and both are published, the attacker takes A' − B'. It equals c only when both perturbations happen
      // to be equal (≈ 0.275 for D = 2, V = 1), and it takes many values: never a reliable read of c.
      const next = keys(20261129);
      const sexes = ['F', 'M', 'X'];
      const regions = ['PT11', 'PT16', 'PT17', 'PT18'];
      let pairsSeen = 0;
      let exact = 0;
      const differences = new Set<number>();
      for (let dataset = 0; dataset < 300; dataset++) {
        const people = Array.from({ length: 30 + (next() % 150) }, () => ({
          provider: next() % 4,
          sex: sexes[next() % sexes.length]!,
          region: regions[next() % regions.length]!,
          key: next(),
        }));
        const tableOf = (included: typeof people): KeyedFrequencyTable => {
          const entry = (key: Record<string, string>): KeyedTableEntry => {
            const inside = included.filter(
              (p) => (key.sex ?? p.sex) === p.sex && (key.region ?? p.region) === p.region,
            );
            return { key, value: inside.length, keySum: keySumOf(inside.map((p) => p.key)) };
          };
          return {
            dims: ['sex', 'region'],
            cells: sexes.flatMap((sex) => regions.map((region) => entry({ sex, region }))),
            margins: [...sexes.map((sex) => entry({ sex })), ...regions.map((region) => entry({ region }))],
            total: included.length,
            totalKeySum: keySumOf(included.map((p) => p.key)),
          };
        };
        const a = tableOf(people);
        const b = tableOf(people.filter((p) => p.provider !== 0));
        const shownA = pairs(a, perturbTable(a));
        const shownB = pairs(b, perturbTable(b));
        shownA.forEach(({ entry, shown }, i) => {
          const other = shownB[i]!;
          const c = entry.value - other.entry.value;
          if (c < 1 || c > 4 || shown.value === null || other.shown.value === null) return;
          pairsSeen++;
          const difference = shown.value - other.shown.value;
          differences.add(difference - c);
          if (difference === c) exact++;
        });
      }
      expect(pairsSeen).toBeGreaterThan(1000);
      // The collision rate 0.275 has a standard deviation below 0.014 over this many pairs.
      expect(exact / pairsSeen).toBeLessThan(0.275 + 0.07);
      expect(exact / pairsSeen).toBeGreaterThan(0.275 - 0.07);
      // The error of the attacker's read takes every value from −2D to 2D.
      expect([...differences].sort((x, y) => x - y)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    },
    SLOW,
  );
});
