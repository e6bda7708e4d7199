/**
 * The stable key of a displayed count (`data-cell`): the indicator and every coordinate that fixes the count — the
 * cell's codes, the query's source and time frame (`from`, `to` as asked), and `geoLevel` for region cells, since
 * at level 2 the code `PT` counts only what is coded no finer than `PT` — as a sorted query string:
 * `victims?from=2024&geoLevel=2&regionOfIdentification=PT11&to=2024`. The same count gets the same key on every
 * page, whichever report it came from.
 */
export function cellKey(
  indicator: string,
  coordinates: Readonly<Record<string, string | undefined>>,
): string {
  const entries = Object.entries(coordinates)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${indicator}?${new URLSearchParams(entries).toString()}`;
}

/** `data-value`: the number as received, or `withheld`. */
export const cellValue = (value: number | null): string => (value === null ? 'withheld' : String(value));
