/**
 * The convention every page follows for the counts it shows, so a browser test can check disclosure control on
 * the page itself (tests/e2e/web-protection.test.ts): every displayed count that comes from a report cell — a
 * value, margin or total that the API published — is rendered in an element carrying
 *
 * - `data-cell`: a key of the cell that is stable across roles and reloads of the same page state:
 *   `<indicator or report>|<dimension>=<code>|…` with the dimensions sorted by name (`period` included), e.g.
 *   `victims|period=2024-Q1|sex=F`; margins leave out the dimensions they sum over, the grand total is
 *   `<indicator>|TOTAL`;
 * - `data-value`: the number exactly as the API sent it (before locale formatting), or `withheld` when the API
 *   sent `null`.
 *
 * Derived figures (shares, means, forecasts) carry neither.
 */

/** The `data-cell` key of a cell of `subject` (an indicator id, or e.g. `quality:ngo-apoio:volume`). */
export function cellKey(subject: string, key: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(key)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
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
  return { 'data-cell': cellKey(subject, key), 'data-value': value === null ? 'withheld' : String(value) };
}
