/**
 * The independent reference computation: answers a `StoreQuery` from the synthetic truth with plain loops, following
 * the counting rules of the contract (§4) and the query model's header literally. It shares no code with MoSy's
 * query parser, SQL builder or stores — only the taxonomy's types — so when the two agree on every cell, both are
 * probably right; when they disagree, this one is short enough to check by hand.
 *
 * Rules implemented: only current, not withdrawn records of the query's kind count; filters are AND across
 * dimensions and OR within one, a list field matches when any of its values is listed, geography filters match a
 * code and every region below it (by prefix); `from`/`to` keep a record only when its whole reference period lies
 * inside; a list breakdown gives one cell per distinct value (only the listed values when the field is filtered
 * too); a geography breakdown at `geoLevel` truncates codes to that level (shorter codes, and UNK, stay); with an
 * interval each cell has a period, `YYYY-unspecified` for dates less precise than the interval; `records` counts
 * records per cell, `persons` distinct person keys per cell, and the total is over the whole filter.
 */
import type { Cell, Dimension, StoreQuery, StoreResult } from '@mosy/core';
import type { TruthRecord } from '@mosy/synthetic';
import { bucketOf, periodBoundsOf } from './periods.js';

const GEO_DIMENSIONS: ReadonlySet<string> = new Set(['regionOfIdentification', 'regionOfExploitation']);
const CHILD_GROUPS: ReadonlySet<string> = new Set(['0-11', '12-15', '16-17', 'child']);
const ADULT_GROUPS: ReadonlySet<string> = new Set([
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65+',
  'adult',
]);

/** The values a record has for a dimension (one for single-valued fields, the distinct codes of a list field). */
export function valuesOf(record: TruthRecord, dimension: Dimension): string[] {
  if (dimension === 'providerId') return [record.providerId];
  if (dimension === 'providerType') return [record.providerType];
  if (dimension === 'ageClass') {
    const group = record.fields.ageGroup;
    const code = typeof group === 'string' ? group : 'UNK';
    return [CHILD_GROUPS.has(code) ? 'child' : ADULT_GROUPS.has(code) ? 'adult' : 'UNK'];
  }
  const value = record.fields[dimension];
  if (value === undefined) return ['UNK'];
  return typeof value === 'string' ? [value] : [...new Set(value)];
}

const matches = (dimension: Dimension, value: string, allowed: readonly string[]): boolean =>
  GEO_DIMENSIONS.has(dimension) ? allowed.some((code) => value.startsWith(code)) : allowed.includes(value);

/** True when the record is current and passes every filter and the time frame. */
function selected(record: TruthRecord, query: StoreQuery): boolean {
  if (record.withdrawn || record.kind !== query.kind) return false;
  const { start, end } = periodBoundsOf(record.referenceDate);
  if (query.from !== undefined && start < query.from) return false;
  if (query.to !== undefined && end > query.to) return false;
  for (const [dimension, allowed] of Object.entries(query.filters) as [Dimension, readonly string[]][]) {
    if (!valuesOf(record, dimension).some((value) => matches(dimension, value, allowed))) return false;
  }
  return true;
}

/** The cell codes a record contributes for one breakdown dimension. */
function cellValues(record: TruthRecord, dimension: Dimension, query: StoreQuery): string[] {
  let values = valuesOf(record, dimension);
  const allowed = query.filters[dimension];
  if (allowed !== undefined) values = values.filter((value) => matches(dimension, value, allowed));
  const level = query.geoLevel;
  if (GEO_DIMENSIONS.has(dimension) && level !== undefined)
    values = values.map((code) => (code === 'UNK' ? code : code.slice(0, 2 + level)));
  return [...new Set(values)];
}

/** Every combination of one value per dimension. */
function combinations(lists: readonly string[][]): string[][] {
  return lists.reduce<string[][]>(
    (acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])),
    [[]],
  );
}

/** Answers `query` from the truth, as a store should. Cells come sorted by their codes, then period. */
export function referenceQuery(truth: readonly TruthRecord[], query: StoreQuery): StoreResult {
  const cells = new Map<string, { codes: string[]; period?: string; members: Set<string> }>();
  const everyone = new Set<string>();
  let records = 0;
  for (const record of truth) {
    if (!selected(record, query)) continue;
    records++;
    const member = query.unit === 'persons' ? record.personKey : `${record.providerId}/${record.recordId}`;
    everyone.add(record.personKey);
    const period = query.interval === undefined ? undefined : bucketOf(record.referenceDate, query.interval);
    for (const codes of combinations(query.by.map((d) => cellValues(record, d, query)))) {
      const id = JSON.stringify([codes, period ?? null]);
      let cell = cells.get(id);
      if (cell === undefined) {
        cell = { codes, ...(period === undefined ? {} : { period }), members: new Set() };
        cells.set(id, cell);
      }
      cell.members.add(member);
    }
  }
  const out: Cell[] = [...cells.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, cell]) => ({
      key: Object.fromEntries(query.by.map((d, i) => [d, cell.codes[i]!])),
      ...(cell.period === undefined ? {} : { period: cell.period }),
      value: cell.members.size,
    }));
  return { cells: out, total: query.unit === 'persons' ? everyone.size : records };
}
