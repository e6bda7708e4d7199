/**
 * The query model: one indicator query, as every store answers it and every report is built from it. A query is
 * validated before it reaches a store (only codes from the taxonomy and provider ids from the registry get
 * through), so stores may build SQL from its values with their one escaping function.
 *
 * Semantics (contract §4), which both stores and the independent reference computation in the tests follow:
 * - only current records count: highest accepted version, withdrawn records excluded;
 * - `records` counts records; `persons` counts distinct person keys in each cell, and the total is distinct over the
 *   whole filter (not the sum of the cells);
 * - filters are AND across fields, OR within a field; a list field matches when any of its values is listed, and
 *   when a filtered list field is also a breakdown only the listed values become cells;
 * - geography filters match a code and every region below it; a geography breakdown at `geoLevel` truncates codes
 *   to that level (less detailed codes stay as they are);
 * - `period` keeps a record only when its whole reference period lies inside `from`..`to`;
 * - with an `interval`, each cell also has a `period`; a record dated less precisely than the interval goes into the
 *   explicit bucket `YYYY-unspecified` of its year.
 */
import type { CanonicalField } from '../taxonomy/fields.js';
import type { NutsLevel } from '../taxonomy/nuts.js';
import type { RecordKind } from '../taxonomy/codes.js';

/** What can be a breakdown or a filter: the canonical fields plus fields derived from the record's context. */
export type Dimension = CanonicalField | 'providerId' | 'providerType' | 'ageClass';

export const DERIVED_DIMENSIONS = ['providerId', 'providerType', 'ageClass'] as const;

export type Interval = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month', 'quarter', 'year'];

export type Unit = 'persons' | 'records';

export interface StoreQuery {
  readonly kind: RecordKind;
  readonly unit: Unit;
  /** Breakdown dimensions, in order (no repeats). */
  readonly by: readonly Dimension[];
  /** Adds a `period` to each cell. */
  readonly interval?: Interval;
  /** Allowed codes per dimension; geography dimensions match by prefix (a region and everything below it). */
  readonly filters: { readonly [D in Dimension]?: readonly string[] };
  /** Inclusive dates `YYYY-MM-DD`. */
  readonly from?: string;
  readonly to?: string;
  /** NUTS level of geography breakdowns. */
  readonly geoLevel?: NutsLevel;
  /**
   * Also return key sums (`Cell.keySum`, `StoreResult.totalKeySum`) for the cell key method of disclosure control
   * (disclosure/README.md). Stores that cannot leave them out; callers that need them check they are present.
   */
  readonly keySums?: boolean;
}

export interface Cell {
  /** The cell's code for each breakdown dimension. */
  readonly key: { readonly [D in Dimension]?: string };
  /** With an interval: `2026-03-14`, week's Monday `2026-03-09`, `2026-03`, `2026-Q1`, `2026`, or `2026-unspecified`. */
  readonly period?: string;
  readonly value: number;
  /**
   * With `keySums`: for `records` the sum of the cell's record keys, for `persons` the sum of
   * `personKeyNumber(personKey)` over its distinct persons, both modulo 2^32.
   */
  readonly keySum?: number;
}

export interface StoreResult {
  readonly cells: readonly Cell[];
  /** Over the whole filter (distinct persons for `persons`). */
  readonly total: number;
  /** With `keySums`: the key sum over the whole filter, as `Cell.keySum`. */
  readonly totalKeySum?: number;
}

export const UNSPECIFIED_PERIOD_SUFFIX = '-unspecified';
