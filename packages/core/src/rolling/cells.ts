/**
 * The finest rolling cells of one record: for every grouping of `groupings.ts` whose filters the record passes, one
 * cell per code combination of the grouping's dimensions (a list puts the record in one cell per distinct code, none
 * for an empty list), keyed by the record's month label and provider, with geography codes kept whole. Quarters,
 * years, all providers and NUTS levels are read from these at read time. This is the single definition both stores
 * maintain their rolling counts by (their SQL is generated from the same groupings and tested against this).
 */
import { MosyError } from '../errors.js';
import { ageClassOf } from '../counting/rules.js';
import type { Dimension } from '../query/model.js';
import type { CanonicalValues, DatePrecision, NormalizedRecord } from '../records.js';
import type { ProviderType, RecordKind } from '../taxonomy/codes.js';
import { isCanonicalField, isListField } from '../taxonomy/fields.js';
import { ROLLING_GROUPINGS, isGeoDimension, type RollingGrouping } from './groupings.js';

/** What a record's cells depend on: a current (not withdrawn) record. */
export interface CellSource {
  readonly providerId: string;
  readonly providerType: ProviderType;
  readonly kind: RecordKind;
  readonly precision: DatePrecision;
  /** First day of the reference period, `YYYY-MM-DD`. */
  readonly periodStart: string;
  readonly personKey: string;
  readonly recordKey: number;
  readonly fields: CanonicalValues;
}

/** What a record's codes and filters are read from: a cell source, or anything with its provider, kind and fields. */
export type CodeSource = Pick<CellSource, 'providerId' | 'providerType' | 'kind' | 'fields'>;

/** The record as a cell source, undefined for a withdrawal (which counts nowhere). */
export const cellSourceOf = (record: NormalizedRecord): CellSource | undefined =>
  record.action === 'withdraw' ? undefined : record;

/** A finest cell: grouping, month label, provider and the codes of the grouping's dimensions ('' past them). */
export interface RollingCell {
  /** `RollingGrouping.index`. */
  readonly grouping: number;
  /** `2026-03`, or `2026-unspecified` for a record dated by year only (as the current-records queries label it). */
  readonly month: string;
  readonly providerId: string;
  readonly k0: string;
  readonly k1: string;
}

/** A string naming the cell, equal for equal cells (codes and labels hold no newline). */
export const rollingCellId = (cell: RollingCell): string =>
  `${cell.grouping}\n${cell.month}\n${cell.k0}\n${cell.k1}\n${cell.providerId}`;

/** The month label of a record's reference period, as the current-records queries label it for `month`. */
export const rollingMonthOf = (periodStart: string, precision: DatePrecision): string =>
  precision === 'year' ? `${periodStart.slice(0, 4)}-unspecified` : periodStart.slice(0, 7);

/** A single-code field's value, '' when absent (as the stores keep it). */
function scalarOf(source: CodeSource, dimension: Dimension): string {
  if (dimension === 'providerId') return source.providerId;
  if (dimension === 'providerType') return source.providerType;
  if (dimension === 'ageClass') {
    const ageGroup = scalarOf(source, 'ageGroup');
    return ageGroup === '' ? '' : ageClassOf(ageGroup);
  }
  const value = source.fields[dimension];
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  throw new MosyError(
    'invalid-field',
    `record of ${source.providerId}: ${dimension} holds a list but takes one code`,
  );
}

/** The codes a record has for a dimension: one for a scalar, the distinct codes of a list. */
export function codesOf(source: CodeSource, dimension: Dimension): readonly string[] {
  if (isCanonicalField(dimension) && isListField(dimension)) {
    const value = source.fields[dimension];
    if (value === undefined) return [];
    return typeof value === 'string' ? [value] : [...new Set(value)];
  }
  return [scalarOf(source, dimension)];
}

/** Whether the source passes the grouping's kind and filters (AND across dimensions, OR within one). */
export function passesFilters(
  source: CodeSource,
  grouping: Pick<RollingGrouping, 'kind' | 'filters'>,
  codes: (dimension: Dimension) => readonly string[] = (dimension) => codesOf(source, dimension),
): boolean {
  if (source.kind !== grouping.kind) return false;
  for (const [dimension, allowed] of Object.entries(grouping.filters) as [Dimension, readonly string[]][]) {
    const geo = isGeoDimension(dimension);
    const match = codes(dimension).some((code) =>
      geo ? allowed.some((prefix) => code.startsWith(prefix)) : allowed.includes(code),
    );
    if (!match) return false;
  }
  return true;
}

/** Every finest cell the source counts in, each once. */
export function rollingCellsOf(
  source: CellSource,
  groupings: readonly RollingGrouping[] = ROLLING_GROUPINGS,
): RollingCell[] {
  const cells: RollingCell[] = [];
  const month = rollingMonthOf(source.periodStart, source.precision);
  // Groupings share dimensions and filters: each dimension's codes and each filter set's verdict once per record.
  const codeCache = new Map<Dimension, readonly string[]>();
  const codes = (dimension: Dimension): readonly string[] => {
    let found = codeCache.get(dimension);
    if (found === undefined) codeCache.set(dimension, (found = codesOf(source, dimension)));
    return found;
  };
  const verdicts = new Map<RollingGrouping['filters'], boolean>();
  for (const grouping of groupings) {
    if (grouping.kind !== source.kind) continue;
    let passes = verdicts.get(grouping.filters);
    if (passes === undefined)
      verdicts.set(grouping.filters, (passes = passesFilters(source, grouping, codes)));
    if (!passes) continue;
    const [first, second] = grouping.by;
    for (const k0 of first === undefined ? [''] : codes(first)) {
      for (const k1 of second === undefined ? [''] : codes(second)) {
        cells.push({ grouping: grouping.index, month, providerId: source.providerId, k0, k1 });
      }
    }
  }
  return cells;
}
