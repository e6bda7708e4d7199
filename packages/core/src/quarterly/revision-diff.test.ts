import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MosyError } from '../errors.js';
import { diffReportVersions } from './revision-diff.js';
import type { ReportCell } from './revision-diff.js';

const cell = (sex: string, value: number | null, period = '2026-Q1'): ReportCell => ({
  key: { indicator: 'victims', sex, period },
  value,
  ...(value === null ? { flag: 'c' } : {}),
});

describe('diffReportVersions', () => {
  it('lists exactly the added, removed, revalued and reflagged cells', () => {
    const previous = [cell('F', 12), cell('M', null), cell('UNK', 7), cell('T', 30), cell('X', 5)];
    const next = [
      cell('T', 34),
      cell('F', null),
      cell('M', 9),
      cell('UNK', 7),
      // Same key in another order of dimensions: the same cell.
      { key: { sex: 'X', period: '2026-Q1', indicator: 'victims' }, value: 5 },
      cell('F', 6, '2026'),
    ];
    const diff = diffReportVersions(previous, next);
    expect(diff).toEqual({
      changes: [
        { kind: 'added', key: { indicator: 'victims', sex: 'F', period: '2026' }, after: { value: 6 } },
        {
          kind: 'changed',
          key: { indicator: 'victims', sex: 'F', period: '2026-Q1' },
          fields: ['value', 'flag'],
          before: { value: 12 },
          after: { value: null, flag: 'c' },
        },
        {
          kind: 'changed',
          key: { indicator: 'victims', sex: 'M', period: '2026-Q1' },
          fields: ['value', 'flag'],
          before: { value: null, flag: 'c' },
          after: { value: 9 },
        },
        {
          kind: 'changed',
          key: { indicator: 'victims', sex: 'T', period: '2026-Q1' },
          fields: ['value'],
          before: { value: 30 },
          after: { value: 34 },
        },
      ],
      added: 1,
      removed: 0,
      changed: 3,
      unchanged: 2,
    });
  });

  it('reports a removed cell and a flag-only change', () => {
    const diff = diffReportVersions([cell('F', 12), { ...cell('M', 8), flag: 'p' }], [cell('M', 8)]);
    expect(diff.changes).toEqual([
      { kind: 'removed', key: cell('F', 12).key, before: { value: 12 } },
      {
        kind: 'changed',
        key: cell('M', 8).key,
        fields: ['flag'],
        before: { value: 8, flag: 'p' },
        after: { value: 8 },
      },
    ]);
  });

  it('rejects a version that holds a cell twice', () => {
    expect(() => diffReportVersions([cell('F', 1), cell('F', 2)], [])).toThrow(MosyError);
  });

  it('finds nothing between a version and itself, and everything against an empty one (random versions)', () => {
    const value = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 50 }));
    const version = fc
      .uniqueArray(fc.tuple(fc.constantFrom('F', 'M', 'UNK', 'T'), fc.constantFrom('2026-Q1', '2026-Q2')), {
        selector: ([s, p]) => `${s}|${p}`,
      })
      .chain((keys) => fc.tuple(...keys.map(([s, p]) => value.map((v) => cell(s, v, p)))));
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(diffReportVersions(a, [...a].reverse()).changes).toEqual([]);
        expect(diffReportVersions([], a).added).toBe(a.length);
        const diff = diffReportVersions(a, b);
        // Independently: a cell is unchanged when both versions publish it alike.
        const same = a.filter((x) =>
          b.some((y) => y.key.sex === x.key.sex && y.key.period === x.key.period && y.value === x.value),
        ).length;
        expect(diff.unchanged).toBe(same);
        expect(diff.added + diff.changed + diff.unchanged).toBe(b.length);
        expect(diff.removed + diff.changed + diff.unchanged).toBe(a.length);
      }),
    );
  });
});
