import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { perturbTable } from './perturb-table.js';
import { protectResult, type KeyedResult } from './protect-result.js';
import { protectTable } from './protect-table.js';
import { T, additive, keys, persons, toTable } from './test-support/tables.js';

/**
 * Disclosure control made faster must publish exactly what it published before: every output below, for a fixed
 * set of varied inputs (tables of 1 to 4 dimensions, additive and distinct-person, suppressed and perturbed;
 * catalogue-sized results of hundreds of cells in every mode), is digested, and the digests were taken from the
 * code before the speed-ups (commit b76ff22). A digest that changes is a change of published values: find why.
 */
const digest = (outputs: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(outputs)).digest('hex');

/** Withheld entries in all: the inputs must exercise secondary suppression, not only publish. */
const withheld = (outputs: readonly { readonly withheld?: number; readonly disclosure?: object }[]): number =>
  outputs.reduce((n, output) => {
    const info = output.disclosure;
    return n + (output.withheld ?? (info !== undefined && 'withheld' in info ? Number(info.withheld) : 0));
  }, 0);

/** Tables from fixed seeds: the same on every run of the same fast-check version. */
const tables = [
  ...fc.sample(additive(4, 4), { seed: 1, numRuns: 150 }),
  ...fc.sample(persons(3, 4), { seed: 2, numRuns: 150 }),
  ...fc.sample(additive(2, 12), { seed: 3, numRuns: 60 }),
].map(toTable);

/** A catalogue-like result: codes of two fields crossed with periods, a share of them small. */
function resultOf(seed: number, periods: number, codes: readonly string[], small: number): KeyedResult {
  const next = keys(seed);
  const uniform = (): number => next() / 2 ** 32;
  const cells = [];
  for (let p = 0; p < periods; p++)
    for (const a of codes)
      for (const b of ['F', 'M', 'X', 'a!', 'a', 'ä', '']) {
        if (uniform() < 0.2) continue;
        const value = uniform() < small ? Math.floor(uniform() * T) : 5 + Math.floor(uniform() * 300);
        cells.push({
          key: { sex: b, ageGroup: a },
          period: `${2010 + (p >> 2)}-Q${(p & 3) + 1}`,
          value,
          keySum: next(),
        });
      }
  const sum = cells.reduce((s, cell) => s + cell.value, 0);
  const largest = Math.max(0, ...cells.map((cell) => cell.value));
  return { cells, total: Math.max(largest, sum - Math.floor(uniform() * sum * 0.2)), totalKeySum: next() };
}

const results = Array.from({ length: 24 }, (_, i) =>
  resultOf(
    i + 1,
    4 + (i % 5) * 9,
    ['0-4', '5-9', '18-24', '25-34', '35+'].slice(0, 2 + (i % 4)),
    [0.05, 0.2, 0.5][i % 3]!,
  ),
);

describe('disclosure control, as published before its speed-ups', () => {
  it('suppresses tables as before', () => {
    const outputs = tables.map((table) => protectTable(table, { threshold: T }));
    expect(withheld(outputs)).toBe(5458);
    expect(digest(outputs)).toBe('b3f582085161331e8f853a66b451f4e43ac2e6ad8f64c7cc1ee58b296d9d01f5');
  });

  it('perturbs tables as before', () => {
    const outputs = tables.map((table, i) => {
      const next = keys(i + 100);
      return perturbTable({
        ...table,
        cells: table.cells.map((cell) => ({ ...cell, keySum: next() })),
        margins: table.margins.map((margin) => ({ ...margin, keySum: next() })),
        totalKeySum: next(),
      });
    });
    expect(withheld(outputs)).toBe(5691);
    expect(digest(outputs)).toBe('03d83ea9dba8e6a6b0a446fe028332aefb08c53d98fbe2f6848c91b3045820bc');
  });

  it('protects catalogue results as before, in every mode and at two thresholds', () => {
    const outputs = results.flatMap((result) => [
      protectResult(result, 'suppress', { threshold: T }),
      protectResult(result, 'suppress', { threshold: 11 }),
      protectResult(result, 'perturb', { threshold: T }),
      protectResult(result, 'perturb', { threshold: 8 }),
      protectResult(result, 'none'),
    ]);
    expect(withheld(outputs)).toBe(8640);
    expect(digest(outputs)).toBe('a7c8cc8761cd8db08956ecbf500af4b404b6f34990ed6bbab83e6b796b1546f9');
  });
});
