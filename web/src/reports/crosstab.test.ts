import { describe, expect, it } from 'vitest';
import { crosstab } from './crosstab.js';

describe('crosstab', () => {
  it('puts the period down, the last variable across, and every margin where the table has it', () => {
    const table = crosstab({
      dims: ['sex', 'period'],
      cells: [
        { key: { sex: 'F', period: '2024' }, value: 7 },
        { key: { sex: 'F', period: '2023' }, value: null, flag: 'c' },
        { key: { sex: 'M', period: '2024' }, value: 9 },
      ],
      margins: [
        { key: { sex: 'F' }, value: 10 },
        { key: { sex: 'M' }, value: 9 },
        { key: { period: '2023' }, value: null, flag: 'c' },
        { key: { period: '2024' }, value: 16 },
      ],
      total: { value: 19 },
    });
    expect(table.rowDims).toEqual(['period']);
    expect(table.colDim).toBe('sex');
    expect(table.columns).toEqual(['F', 'M', undefined]);
    expect(table.rows.map((r) => [r.codes, r.entries.map((e) => e?.value)])).toEqual([
      [['2023'], [null, undefined, null]],
      [['2024'], [7, 9, 16]],
      [[undefined], [10, 9, 19]],
    ]);
  });

  it('lists a one-variable table down, and a table without variables as its total', () => {
    const one = crosstab({
      dims: ['sex'],
      cells: [{ key: { sex: 'F' }, value: 3 }],
      margins: [],
      total: { value: 3 },
    });
    expect(one.rows.map((r) => [r.codes, r.entries.map((e) => e?.value)])).toEqual([
      [['F'], [3]],
      [[undefined], [3]],
    ]);
    const none = crosstab({ dims: [], cells: [], margins: [], total: { value: null, flag: 'c' } });
    expect(none.rows).toEqual([{ codes: [], entries: [{ key: {}, value: null, flag: 'c' }] }]);
  });
});
