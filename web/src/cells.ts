/**
 * The convention every page follows for the counts it shows, so a browser test can check disclosure control on
 * the page itself (tests/e2e/web-protection.test.ts): every displayed count that comes from a report cell — a
 * value, margin or total that the API published — is rendered in an element carrying
 *
 * - `data-cell`: a key of the cell that is stable across roles and reloads of the same page state:
 *   `<indicator or report>|<dimension>=<code>|…` with the dimensions sorted by name (`period` included), e.g.
 *   `victims|period=2024-Q1|sex=F`; margins leave out the dimensions they sum over, the grand total is
 *   `<indicator>|TOTAL`. A page whose counts depend on more of its state than the cell's codes adds those
 *   coordinates as dimensions too — the map: `providers`, the `period` it shows, and `geoLevel` for region cells,
 *   since at level 2 the code `PT` counts only what is coded no finer than `PT`
 *   (`victims|geoLevel=2|period=2024|regionOfIdentification=PT11`);
 * - `data-value`: the number exactly as the API sent it (before locale formatting), or `withheld` when the API
 *   sent `null`.
 *
 * Derived figures (shares, means, forecasts) carry neither.
 */

/**
 * The `data-cell` key of a cell of `subject` (an indicator id, or e.g. `quality:ngo-apoio:volume`); dimensions
 * without a code (undefined or empty) are left out.
 */
export function cellKey(subject: string, key: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(key)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([dim, code]) => `${dim}=${code}`);
  return [subject, ...(parts.length === 0 ? ['TOTAL'] : parts)].join('|');
}

/** The attributes of an element showing a published count. */
export function cellAttributes(
  subject: string,
  key: Readonly<Record<string, string | undefined>>,
  value: number | null,
): { 'data-cell': string; 'data-value': string } {
  return { 'data-cell': cellKey(subject, key), 'data-value': cellValue(value) };
}

/** `data-value`: the number as received, or `withheld`. */
export const cellValue = (value: number | null): string => (value === null ? 'withheld' : String(value));
