/**
 * What the SQL of queries and of rolling counts share about dimensions: which are lists, which are geographic, and
 * a filter on one dimension as a condition (query semantics: any of the values; a list matches when it holds any of
 * them, a geographic code when it starts with one of them, so a region takes in its districts).
 */
import { isCanonicalField, type Dimension } from '@mosy/core';
import { DIMENSION_COLUMNS, GEO_FIELDS, LIST_FIELDS } from './columns.js';
import type { Dialect } from './dialect.js';
import { sqlLiteral } from './literal.js';

/** A dimension stored as a list of codes. */
export const isListDimension = (dimension: Dimension): boolean =>
  isCanonicalField(dimension) && LIST_FIELDS.has(dimension);

/** A dimension of geographic codes (filters match by prefix, breakdowns follow `geoLevel`). */
export const isGeoColumn = (dimension: Dimension): boolean =>
  isCanonicalField(dimension) && GEO_FIELDS.has(dimension);

/** A filter of `dimension` to `values` as a SQL condition. */
export function filterCondition(dialect: Dialect, dimension: Dimension, values: readonly string[]): string {
  // An empty list allows no value, so it matches nothing (rather than being ignored and counting everything).
  if (values.length === 0) return '1 = 0';
  const column = DIMENSION_COLUMNS[dimension];
  if (isListDimension(dimension)) return dialect.hasAny(column, values);
  if (isGeoColumn(dimension))
    return `(${values.map((value) => dialect.startsWith(column, value)).join(' OR ')})`;
  return `${column} IN (${values.map(sqlLiteral).join(', ')})`;
}
