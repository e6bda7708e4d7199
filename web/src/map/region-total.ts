/** A region's total in its breakdown (kept apart from data.ts, which needs a browser, so it can be unit-tested). */

interface Entry {
  readonly key: Readonly<Record<string, string>>;
  readonly value: number | null;
}

/**
 * The region's margin as published — `null` when withheld, never 0. A margin is left out only when every cell
 * under it is 0; then the region's count on the map if there is one, else 0.
 */
export function regionTotal(
  margins: readonly Entry[],
  geoField: string,
  region: string,
  regionCount?: number | null,
): number | null {
  const margin = margins.find((m) => Object.keys(m.key).length === 1 && m.key[geoField] === region);
  if (margin !== undefined) return margin.value;
  return regionCount === undefined ? 0 : regionCount;
}
