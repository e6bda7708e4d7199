/**
 * Counting the quarterly report's tables from the indicator store: each table of `quarterlyTables` over the year to
 * date by quarter (`interval=quarter`), with every margin, in Eurostat's codes (`SDMX_RECODE`), regions at NUTS 2.
 * Citizenship follows Eurostat's precedence (national, else EU, else non-EU, else stateless, else unknown), which no
 * single store filter expresses: the store counts the persons with a citizenship in each growing set of groups
 * (national; national or EU; …), and a group is the difference of two consecutive sets, so every person counts in
 * exactly one group and the groups add up to the margin. Also measures what the metadata sheet says of each
 * provider: its records in the quarter and the share of the quarter's months it sent data for.
 */
import {
  COUNTRIES,
  EUROSTAT_CITIZENSHIP_GROUPS,
  RECORD_KINDS,
  STATELESS,
  UNKNOWN,
  QUARTERLY_PERIOD,
  citizenshipGroup,
  eurostatCitizenship,
  quarterlyColumn,
  type CountedTable,
  type Dimension,
  type IndicatorStore,
  type KeyedFrequencyTable,
  type ProviderCoverage,
  type Quarter,
  type QuarterlyTableSpec,
  type Registry,
  type RecordKind,
  type StoreQuery,
  type TableEntry,
} from '@mosy/core';
import { SDMX_RECODE } from '../formats/sdmx-csv.js';
import { PERIOD, queryTable } from '../reports/table.js';

const GEO_LEVEL = 2;

/** The ISO codes of each Eurostat citizenship group relative to the reporting country, in precedence order. */
function citizenshipSets(reportingCountry: string): string[][] {
  const codes = [...Object.keys(COUNTRIES), STATELESS, UNKNOWN];
  return EUROSTAT_CITIZENSHIP_GROUPS.map((group) =>
    codes.filter((code) => eurostatCitizenship(citizenshipGroup(code, reportingCountry)) === group),
  );
}

const nameOf = (key: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Every entry of a table, the total under `{}`. */
function entriesOf(table: KeyedFrequencyTable): Map<string, TableEntry> {
  const out = new Map<string, TableEntry>();
  for (const entry of [...table.cells, ...table.margins]) out.set(nameOf(entry.key), entry);
  out.set(nameOf({}), { key: {}, value: table.total });
  return out;
}

/** The table of `query` with citizenship (a breakdown of it) in Eurostat's groups by precedence. */
async function queryWithCitizenship(
  store: IndicatorStore,
  query: StoreQuery,
  reportingCountry: string,
): Promise<KeyedFrequencyTable> {
  const others = { ...query, by: query.by.filter((d) => d !== 'citizenship') };
  const sets = citizenshipSets(reportingCountry);
  const all = entriesOf(await queryTable(store, others, SDMX_RECODE));
  const cumulative: Map<string, TableEntry>[] = [];
  for (let k = 0; k < sets.length - 1; k++) {
    const codes = sets.slice(0, k + 1).flat();
    const filters = { ...others.filters, citizenship: codes };
    cumulative.push(entriesOf(await queryTable(store, { ...others, filters }, SDMX_RECODE)));
  }
  cumulative.push(all);
  const dims = [...query.by, PERIOD];
  const cells: TableEntry[] = [];
  const margins: TableEntry[] = [];
  for (const [name, { key }] of all) {
    EUROSTAT_CITIZENSHIP_GROUPS.forEach((group, k) => {
      const value =
        (cumulative[k]!.get(name)?.value ?? 0) - (k === 0 ? 0 : (cumulative[k - 1]!.get(name)?.value ?? 0));
      if (value <= 0) return;
      const entry = { key: { ...key, citizenship: group }, value };
      (Object.keys(entry.key).length === dims.length ? cells : margins).push(entry);
    });
    if (Object.keys(key).length > 0) margins.push(all.get(name)!);
  }
  return { dims, cells, margins, total: all.get(nameOf({}))!.value };
}

/** The entries' keys with MoSy dimensions renamed to the report's columns. */
function renamed(table: KeyedFrequencyTable): KeyedFrequencyTable {
  const column = (dim: string) => (dim === PERIOD ? QUARTERLY_PERIOD : quarterlyColumn(dim as Dimension));
  const entry = ({ key, value }: TableEntry): TableEntry => ({
    key: Object.fromEntries(Object.entries(key).map(([dim, code]) => [column(dim), code])),
    value,
  });
  return {
    dims: table.dims.map(column),
    cells: table.cells.map(entry),
    margins: table.margins.map(entry),
    total: table.total,
  };
}

/** Counts one table of the report: the year to date of `quarter`, by quarter. */
export async function countTable(
  store: IndicatorStore,
  spec: QuarterlyTableSpec,
  quarter: Quarter,
  reportingCountry: string,
): Promise<CountedTable> {
  const { indicator } = spec;
  const query: StoreQuery = {
    kind: indicator.kind,
    unit: indicator.unit === 'persons' ? 'persons' : 'records',
    by: spec.by,
    interval: 'quarter',
    filters: indicator.defaultFilters,
    from: quarter.yearFrom,
    to: quarter.to,
    geoLevel: GEO_LEVEL,
  };
  const table = spec.by.includes('citizenship')
    ? await queryWithCitizenship(store, query, reportingCountry)
    : await queryTable(store, query, SDMX_RECODE);
  return { spec, table: renamed(table) };
}

/** Each provider's current records dated in the quarter (all kinds) and the share of its months with any. */
export async function providerCoverage(
  store: IndicatorStore,
  registry: Registry,
  quarter: Quarter,
): Promise<ProviderCoverage[]> {
  const records = new Map<string, number>();
  const months = new Map<string, Set<string>>();
  for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
    const base = {
      kind,
      unit: 'records' as const,
      by: ['providerId' as const],
      filters: {},
      from: quarter.from,
      to: quarter.to,
    };
    for (const cell of (await store.query(base)).cells)
      records.set(cell.key.providerId!, (records.get(cell.key.providerId!) ?? 0) + cell.value);
    for (const cell of (await store.query({ ...base, interval: 'month' })).cells)
      if (cell.period !== undefined && /^[0-9]{4}-[0-9]{2}$/.test(cell.period))
        (
          months.get(cell.key.providerId!) ??
          months.set(cell.key.providerId!, new Set()).get(cell.key.providerId!)!
        ).add(cell.period);
  }
  return (await registry.listProviders())
    .filter((p) => records.has(p.id))
    .map((p) => ({
      providerId: p.id,
      name: p.name,
      providerType: p.type,
      records: records.get(p.id)!,
      coverage: Math.round(((months.get(p.id)?.size ?? 0) / 3) * 1000) / 1000,
    }));
}
