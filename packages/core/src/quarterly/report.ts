/**
 * The quarterly Common Key Indicators report, built from counted tables: every breakdown of every indicator of the
 * catalogue (its CKIs), each one table over the year to date with the quarter as a dimension, so a table's cells
 * are the quarters so far (and, in the fourth quarter, the records dated only to the year) and its margins over
 * the period are the year to date. All the tables are protected together (`protectLinkedTables`, one scope per
 * indicator), so no withheld value of one table can be recovered from another, nor a quarter from its year to
 * date. Pure: the caller counts the tables (the store answers), measures the providers' coverage and passes the
 * build time; the result is the published observations, each named by its full key, and the metadata sheet.
 */
import { MosyError } from '../errors.js';
import type { IndicatorDefinition } from '../indicators/catalogue.js';
import { protectLinkedTables } from '../disclosure/linked-tables.js';
import type { ProtectedLinkedTable } from '../disclosure/linked-tables.js';
import type { FrequencyTable } from '../disclosure/table.js';
import type { Dimension } from '../query/model.js';
import { UNSPECIFIED_PERIOD_SUFFIX } from '../query/model.js';
import { metadataSheet } from './metadata-sheet.js';
import type { MetadataSheet, ProviderCoverage } from './metadata-sheet.js';
import type { Quarter } from './quarter.js';
import { yearToDate } from './quarter.js';
import { diffReportVersions } from './revision-diff.js';
import type { ReportCell } from './revision-diff.js';

/** The table dimension of the time bucket, as the store labels it (`2026-Q1`, `2026-unspecified`). */
export const QUARTERLY_PERIOD = 'period';

/**
 * The report's column of each MoSy dimension: Eurostat's where it has one (`sex`, `age`, `citizen`, `exploit`,
 * `geo`), else a lower-case name. Age groups and the age class both become Eurostat's `age` (under 18, 18 or
 * over, unknown), so CKIs 1.2 and 1.2a are one table.
 */
const COLUMNS: Readonly<Partial<Record<Dimension, string>>> = {
  sex: 'sex',
  ageGroup: 'age',
  ageClass: 'age',
  citizenship: 'citizen',
  exploitation: 'exploit',
  regionOfIdentification: 'geo',
  regionOfExploitation: 'exploit_geo',
  countryOfRecruitment: 'recruit_geo',
  providerType: 'provider_type',
  providerId: 'provider',
  labourSector: 'labour_sector',
  meansOfControl: 'means_of_control',
  recruiterRelationship: 'recruiter_relationship',
  organisedCrime: 'organised_crime',
  reflectionPeriod: 'reflection_period',
  residencePermit: 'residence_permit',
};

/** The report column of a MoSy dimension. */
export const quarterlyColumn = (dimension: Dimension): string =>
  COLUMNS[dimension] ?? dimension.toLowerCase();

/** One table the report publishes: an indicator by the breakdown of one or more of its CKIs. */
export interface QuarterlyTableSpec {
  /** `victims.sex.citizen`. */
  readonly id: string;
  readonly indicator: IndicatorDefinition;
  /** The MoSy dimensions to count by (the first of the CKIs that give these columns). */
  readonly by: readonly Dimension[];
  /** The report columns of `by`. */
  readonly columns: readonly string[];
  /** The CKIs this table answers, e.g. `['1.2', '1.2a']`. */
  readonly cki: readonly string[];
}

/** The tables of the report: one per indicator and distinct breakdown of its CKIs, in the catalogue's order. */
export function quarterlyTables(indicators: readonly IndicatorDefinition[]): QuarterlyTableSpec[] {
  const specs: QuarterlyTableSpec[] = [];
  for (const indicator of indicators) {
    const byColumns = new Map<string, { by: Dimension[]; columns: string[]; cki: string[] }>();
    for (const cki of indicator.cki) {
      const columns = cki.by.map(quarterlyColumn);
      const id = [indicator.id, ...columns].join('.');
      const known = byColumns.get(id);
      if (known === undefined) byColumns.set(id, { by: [...cki.by], columns, cki: [cki.ref] });
      else known.cki.push(cki.ref);
    }
    for (const [id, spec] of byColumns) specs.push({ id, indicator, ...spec });
  }
  return specs;
}

/** A table as counted: the spec's columns then `period`, every margin, before protection. */
export interface CountedTable {
  readonly spec: QuarterlyTableSpec;
  readonly table: FrequencyTable;
}

export interface QuarterlyReportInput {
  /** ISO alpha-2 code of the reporting country (`EL` for Greece is accepted as given). */
  readonly reportingCountry: string;
  readonly quarter: Quarter;
  /** 0 for the first version, then 1, 2… */
  readonly revision: number;
  /** ISO timestamp of the build. */
  readonly builtAt: string;
  /** The suppression threshold (counts from 1 to threshold − 1 are withheld). */
  readonly threshold: number;
  readonly tables: readonly CountedTable[];
  readonly providers: readonly ProviderCoverage[];
  /** The observations of the version this one revises (absent for revision 0). */
  readonly previous?: readonly ReportCell[];
}

/** A published table of the report. */
export interface QuarterlyTable extends ProtectedLinkedTable {
  readonly indicator: string;
  readonly cki: readonly string[];
}

export interface QuarterlyReport {
  readonly reportingCountry: string;
  /** The quarter, `2026-Q3`. */
  readonly period: string;
  /** The year to date, `2026-01-01/2026-09-30`. */
  readonly yearToDate: string;
  readonly revision: number;
  readonly builtAt: string;
  readonly tables: readonly QuarterlyTable[];
  /**
   * Every distinct published entry once, keyed by `indicator`, its table's columns it names and `period`: a
   * quarter (`2026-Q1`), the year-only bucket (`2026-unspecified`) or the year to date (`ytdPeriodOf`).
   */
  readonly observations: readonly ReportCell[];
  readonly metadata: MetadataSheet;
}

/**
 * The `period` of a year-to-date observation: the year (`2026`) after the fourth quarter, else the SDMX time
 * range from 1 January (`2026-01-01/P9M`).
 */
export const ytdPeriodOf = (quarter: Quarter): string =>
  quarter.quarter === 4 ? String(quarter.year) : `${quarter.yearFrom}/P${quarter.quarter * 3}M`;

/**
 * Builds the report: protects all its tables together and names every published entry.
 * @throws MosyError `internal` when a table does not have the columns of its spec then `period`, or two tables
 * disagree on an entry they share.
 */
export function buildQuarterlyReport(input: QuarterlyReportInput): QuarterlyReport {
  const { quarter, threshold } = input;
  for (const { spec, table } of input.tables) {
    const expected = [...spec.columns, QUARTERLY_PERIOD];
    if (table.dims.join() !== expected.join())
      throw new MosyError(
        'internal',
        `The table ${spec.id} has dims ${table.dims.join()}, not ${expected.join()}.`,
      );
  }
  const linked = input.tables.map(({ spec, table }) => ({
    id: spec.id,
    scope: { indicator: spec.indicator.id },
    table,
  }));
  const protectedTables = protectLinkedTables(linked, { threshold });
  const tables: QuarterlyTable[] = protectedTables.tables.map((table, t) => ({
    ...table,
    indicator: input.tables[t]!.spec.indicator.id,
    cki: input.tables[t]!.spec.cki,
  }));
  const ytd = ytdPeriodOf(quarter);
  const observations = new Map<string, ReportCell>();
  for (const table of tables)
    for (const entry of [...table.cells, ...table.margins, { key: {}, ...table.total }]) {
      const { [QUARTERLY_PERIOD]: period, ...codes } = entry.key;
      const key = { indicator: table.indicator, ...codes, [QUARTERLY_PERIOD]: period ?? ytd };
      const name = JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
      observations.set(name, {
        key,
        value: entry.value,
        ...(entry.flag === undefined ? {} : { flag: entry.flag }),
      });
    }
  const cells = [...observations.values()];
  const indicators = [
    ...new Map(input.tables.map(({ spec }) => [spec.indicator.id, spec.indicator])).values(),
  ];
  return {
    reportingCountry: input.reportingCountry,
    period: quarter.period,
    yearToDate: yearToDate(quarter),
    revision: input.revision,
    builtAt: input.builtAt,
    tables,
    observations: cells,
    metadata: metadataSheet({
      reportingCountry: input.reportingCountry,
      period: quarter.period,
      yearToDate: yearToDate(quarter),
      revision: input.revision,
      builtAt: input.builtAt,
      indicators,
      disclosure: { threshold, withheld: protectedTables.withheld },
      providers: input.providers,
      ...(input.previous === undefined ? {} : { changes: diffReportVersions(input.previous, cells) }),
    }),
  };
}

/** True for the bucket of records dated only to the year, which has no SDMX period. */
export const isYearOnlyBucket = (period: string): boolean => period.endsWith(UNSPECIFIED_PERIOD_SUFFIX);
