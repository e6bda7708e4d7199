/**
 * The web app's convention for published counts, read back in the browser tests: each displayed count carries
 * `data-cell` (a stable key of the cell) and `data-value` (the number as the API sent it, or `withheld`); see
 * web/src/cells.ts. The key is rebuilt here from API answers independently of the app's code.
 */
import type { Page } from 'playwright-core';

export interface ShownCell {
  readonly cell: string;
  readonly value: string;
  readonly text: string;
}

/** Every element with `data-cell` inside `scope` (a CSS selector), in document order. */
export const shownCells = (page: Page, scope = 'main'): Promise<ShownCell[]> =>
  page.evaluate<ShownCell[]>(
    `[...document.querySelectorAll(${JSON.stringify(`${scope} [data-cell]`)})].map((e) => ({
      cell: e.dataset.cell, value: e.dataset.value, text: e.textContent.trim(),
    }))`,
  );

/** `subject|dim=code|…` with the dimensions sorted by name, `subject|TOTAL` for no dimension. */
export function cellKey(subject: string, key: Readonly<Record<string, string>>): string {
  const parts = Object.keys(key)
    .sort()
    .map((dim) => `${dim}=${key[dim]}`);
  return [subject, ...(parts.length === 0 ? ['TOTAL'] : parts)].join('|');
}

interface Entry {
  readonly key: Readonly<Record<string, string>>;
  readonly value: number | null;
}

/** The cells, margins and total of a published table, by their `data-cell` key. */
export function tableCells(
  subject: string,
  table: { cells: readonly Entry[]; margins: readonly Entry[]; total: { value: number | null } },
): Map<string, number | null> {
  const map = new Map<string, number | null>();
  for (const entry of [...table.cells, ...table.margins]) map.set(cellKey(subject, entry.key), entry.value);
  map.set(cellKey(subject, {}), table.total.value);
  return map;
}

/** What the page shows for a published value in `locale`: the number formatted, or `c` when withheld. */
export const shownAs = (value: number | null, format: Intl.NumberFormat): { value: string; text: string } =>
  value === null ? { value: 'withheld', text: 'c' } : { value: String(value), text: format.format(value) };
