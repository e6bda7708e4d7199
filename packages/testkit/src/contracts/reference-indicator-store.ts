/**
 * An in-memory `IndicatorStore` written straight from the rules in `query/model.ts`, with no SQL: the independent
 * reference that the contract suite's randomized test compares every adapter with. It favours being obviously
 * right over being fast. Apply outcomes follow the contract suite's rule: a batch is first reduced to one record
 * per key (the highest version, the first of equal ones); a kept record is applied when it is newer than the
 * stored one, and everything else in the batch is ignored. With `keySums` it also returns each cell's key sum
 * (record keys for `records`, `personKeyNumber` of the distinct persons for `persons`, modulo 2^32) and the total's.
 */
import {
  MosyError,
  keySumOf,
  personKeyNumber,
  type ApplyOutcome,
  type Cell,
  type Dimension,
  type IndicatorStore,
  type Interval,
  type NormalizedRecord,
  type StoreQuery,
  type StoreResult,
} from '@mosy/core';

const LIST_DIMENSIONS: ReadonlySet<string> = new Set([
  'citizenship',
  'exploitation',
  'meansOfControl',
  'recruiterRelationship',
]);
const GEO_DIMENSIONS: ReadonlySet<string> = new Set(['regionOfIdentification', 'regionOfExploitation']);
const CHILD: ReadonlySet<string> = new Set(['0-11', '12-15', '16-17', 'child']);
const ADULT: ReadonlySet<string> = new Set(['18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'adult']);

/** A record's values for a dimension: one code for scalar dimensions ('' when absent), the set for lists. */
function valuesOf(record: NormalizedRecord, dimension: Dimension): string[] {
  if (dimension === 'providerId') return [record.providerId];
  if (dimension === 'providerType') return [record.providerType];
  if (dimension === 'ageClass') {
    const group = record.fields.ageGroup;
    if (typeof group !== 'string') return [''];
    return [CHILD.has(group) ? 'child' : ADULT.has(group) ? 'adult' : 'UNK'];
  }
  const value = record.fields[dimension];
  if (LIST_DIMENSIONS.has(dimension)) {
    return value === undefined ? [] : [...new Set(typeof value === 'string' ? [value] : value)];
  }
  return [typeof value === 'string' ? value : ''];
}

function matches(record: NormalizedRecord, query: StoreQuery): boolean {
  if (record.action === 'withdraw' || record.kind !== query.kind) return false;
  for (const [dimension, allowed] of Object.entries(query.filters) as [Dimension, readonly string[]][]) {
    const values = valuesOf(record, dimension);
    const ok = GEO_DIMENSIONS.has(dimension)
      ? values.some((value) => allowed.some((prefix) => value.startsWith(prefix)))
      : values.some((value) => allowed.includes(value));
    if (!ok) return false;
  }
  if (query.from !== undefined && record.periodStart < query.from) return false;
  if (query.to !== undefined && record.periodEnd > query.to) return false;
  return true;
}

const DAY_MS = 86_400_000;

function periodLabel(record: NormalizedRecord, interval: Interval): string {
  const year = record.periodStart.slice(0, 4);
  const unspecified = `${year}-unspecified`;
  const month = Number(record.periodStart.slice(5, 7));
  switch (interval) {
    case 'year':
      return year;
    case 'quarter':
      return record.precision === 'year' ? unspecified : `${year}-Q${Math.ceil(month / 3)}`;
    case 'month':
      return record.precision === 'year' ? unspecified : record.periodStart.slice(0, 7);
    case 'week': {
      if (record.precision !== 'day') return unspecified;
      const time = Date.parse(`${record.periodStart}T00:00:00Z`);
      const daysSinceMonday = (new Date(time).getUTCDay() + 6) % 7;
      return new Date(time - daysSinceMonday * DAY_MS).toISOString().slice(0, 10);
    }
    case 'day':
      return record.precision === 'day' ? record.periodStart : unspecified;
  }
}

/** Every combination of one value per breakdown dimension that the record falls in. */
function keysOf(record: NormalizedRecord, query: StoreQuery): string[][] {
  let combos: string[][] = [[]];
  for (const dimension of query.by) {
    let values = valuesOf(record, dimension);
    const allowed = query.filters[dimension];
    if (LIST_DIMENSIONS.has(dimension) && allowed !== undefined) {
      values = values.filter((value) => allowed.includes(value));
    }
    if (GEO_DIMENSIONS.has(dimension) && query.geoLevel !== undefined) {
      values = values.map((value) => (value === 'UNK' ? value : value.slice(0, 2 + query.geoLevel!)));
    }
    combos = combos.flatMap((combo) => values.map((value) => [...combo, value]));
  }
  return combos;
}

/** The reference store. Everything is kept in memory; `migrate` and `close` do nothing. */
export function createReferenceIndicatorStore(): IndicatorStore {
  const current = new Map<string, NormalizedRecord>();
  const keyOf = (record: NormalizedRecord): string => JSON.stringify([record.providerId, record.recordId]);

  return {
    migrate: () => Promise.resolve(),
    close: () => Promise.resolve(),
    countRecords: () =>
      Promise.resolve([...current.values()].filter((record) => record.action !== 'withdraw').length),

    apply(records: readonly NormalizedRecord[]): Promise<ApplyOutcome> {
      const winners = new Map<string, NormalizedRecord>();
      for (const record of records) {
        const best = winners.get(keyOf(record));
        if (best === undefined || record.version > best.version) winners.set(keyOf(record), record);
      }
      let applied = 0;
      for (const [key, record] of winners) {
        const stored = current.get(key);
        if (stored === undefined || record.version > stored.version) {
          current.set(key, record);
          applied++;
        }
      }
      return Promise.resolve({ applied, ignored: records.length - applied });
    },

    query(query: StoreQuery): Promise<StoreResult> {
      // Stores refuse query values outside the characters the query model allows (the SQL literal whitelist).
      const values = Object.values(query.filters).flat();
      if (values.some((value) => !/^[A-Za-z0-9 _\-+.:/]*$/.test(value))) {
        return Promise.reject(new MosyError('invalid-query', 'value not allowed in a query'));
      }
      const matching = [...current.values()].filter((record) => matches(record, query));
      const measure = (group: readonly NormalizedRecord[]): number =>
        query.unit === 'persons' ? new Set(group.map((record) => record.personKey)).size : group.length;
      const keySum = (group: readonly NormalizedRecord[]): number =>
        query.unit === 'persons'
          ? keySumOf([...new Set(group.map((record) => record.personKey))].map(personKeyNumber))
          : keySumOf(group.map((record) => record.recordKey));
      const groups = new Map<string, { key: string[]; period?: string; records: NormalizedRecord[] }>();
      for (const record of matching) {
        const period = query.interval === undefined ? undefined : periodLabel(record, query.interval);
        for (const key of keysOf(record, query)) {
          const id = JSON.stringify([key, period]);
          const group = groups.get(id) ?? { key, period, records: [] };
          group.records.push(record);
          groups.set(id, group);
        }
      }
      const cells: Cell[] = [...groups.values()].map((group) => {
        const key: { [D in Dimension]?: string } = {};
        query.by.forEach((dimension, index) => {
          key[dimension] = group.key[index];
        });
        const value = measure(group.records);
        const keyed = query.keySums === true ? { keySum: keySum(group.records) } : {};
        return group.period === undefined
          ? { key, value, ...keyed }
          : { key, period: group.period, value, ...keyed };
      });
      return Promise.resolve({
        cells,
        total: measure(matching),
        ...(query.keySums === true ? { totalKeySum: keySum(matching) } : {}),
      });
    },
  };
}
