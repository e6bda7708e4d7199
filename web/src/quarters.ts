/** Quarter codes (`2024-Q3`): the quarter before, the same quarter a year before, and a quarterly series in order. */

const QUARTER = /^(\d{4})-Q([1-4])$/;

export const isQuarter = (period: string | undefined): period is string => QUARTER.test(period ?? '');

function parts(quarter: string): [number, number] {
  const match = QUARTER.exec(quarter);
  if (match === null) throw new Error(`not a quarter: ${quarter}`);
  return [Number(match[1]), Number(match[2])];
}

export function previousQuarter(quarter: string): string {
  const [year, q] = parts(quarter);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

export function sameQuarterYearBefore(quarter: string): string {
  const [year, q] = parts(quarter);
  return `${year - 1}-Q${q}`;
}

/**
 * The quarterly cells of a values answer in time order, from the first quarter with a cell to the last, a quarter
 * without a cell filled as 0 (no record in it); cells of other periods (`2024-unspecified`) are left out.
 */
export function quarterlySeries<C extends { readonly period?: string; readonly value: number | null }>(
  cells: readonly C[],
): { period: string; value: number | null; cell?: C }[] {
  const byPeriod = new Map<string, C>();
  for (const cell of cells) if (isQuarter(cell.period)) byPeriod.set(cell.period, cell);
  const periods = [...byPeriod.keys()].sort();
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (first === undefined || last === undefined) return [];
  const out: { period: string; value: number | null; cell?: C }[] = [];
  const backwards: string[] = [];
  for (let q = last; q >= first; q = previousQuarter(q)) backwards.push(q);
  for (const period of backwards.reverse()) {
    const cell = byPeriod.get(period);
    out.push(cell === undefined ? { period, value: 0 } : { period, value: cell.value, cell });
  }
  return out;
}
