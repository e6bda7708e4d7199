/**
 * The groupings kept as rolling counts: for every indicator of the catalogue, each of its CKI breakdowns and every
 * subset of one (the margins a table with margins asks for, the grand total being the empty subset), under the
 * indicator's default filters; and every record of a kind without filters. Each is stored at the finest grain only (month, provider, full geography code):
 * quarters, years, all providers and coarser NUTS levels are sums (records) or distinct counts (persons) over those
 * rows at read time, so a record lies in one row per grouping and code combination. The list is derived from the
 * catalogue, so a new CKI breakdown is counted without further code; a store compares `ROLLING_FINGERPRINT` with the
 * one its rolling tables were built for and rebuilds them when it changed.
 */
import { createHash } from 'node:crypto';
import { MosyError } from '../errors.js';
import { INDICATORS } from '../indicators/catalogue.js';
import type { Dimension, StoreQuery } from '../query/model.js';
import { RECORD_KINDS, type RecordKind } from '../taxonomy/codes.js';
import { FIELDS, isCanonicalField } from '../taxonomy/fields.js';

/** Dimensions a grouping has at most: every CKI breakdown crosses one or two (the tables hold k0 and k1). */
export const ROLLING_MAX_DIMENSIONS = 2;

export interface RollingGrouping {
  /** Position in `ROLLING_GROUPINGS`: the integer the stores key rows by. */
  readonly index: number;
  /** Stable and readable: `victims/sex+ageGroup`, `victims/` for the total. */
  readonly id: string;
  readonly kind: RecordKind;
  /** The indicator's default filters (query semantics of `query/model.ts`). */
  readonly filters: StoreQuery['filters'];
  /** Breakdown dimensions in catalogue order; codes are stored as k0, k1 in this order. */
  readonly by: readonly Dimension[];
}

/** Whether a dimension is a geography field (filters by prefix, breakdowns truncated to `geoLevel` at read time). */
export const isGeoDimension = (dimension: Dimension): boolean =>
  isCanonicalField(dimension) && FIELDS[dimension].value === 'geo';

/** Every subset of `items`, each in the items' order. */
const subsets = <T>(items: readonly T[]): T[][] =>
  items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((subset) => [...subset, item])], [[]]);

function buildGroupings(): RollingGrouping[] {
  const groupings: RollingGrouping[] = [];
  for (const indicator of INDICATORS) {
    const seen = new Set<string>();
    for (const cki of indicator.cki) {
      for (const by of subsets(cki.by)) {
        const name = by.join('+');
        if (seen.has(name)) continue;
        seen.add(name);
        if (by.length > ROLLING_MAX_DIMENSIONS)
          throw new MosyError(
            'internal',
            `CKI ${cki.ref} crosses more than ${ROLLING_MAX_DIMENSIONS} dimensions`,
          );
        groupings.push({
          index: groupings.length,
          id: `${indicator.id}/${name}`,
          kind: indicator.kind,
          filters: indicator.defaultFilters,
          by,
        });
      }
    }
  }
  // Every record of a kind, unfiltered: what the quarterly report's provider coverage counts by provider and month.
  for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
    const unfiltered = groupings.some(
      (g) => g.kind === kind && g.by.length === 0 && Object.keys(g.filters).length === 0,
    );
    if (!unfiltered)
      groupings.push({ index: groupings.length, id: `${kind}:all/`, kind, filters: {}, by: [] });
  }
  return groupings;
}

/** Every grouping kept as rolling counts. */
export const ROLLING_GROUPINGS: readonly RollingGrouping[] = buildGroupings();

/**
 * Changes whenever the groupings (or how rows are keyed, `ROW_FORMAT`) change: a store whose rolling tables were
 * built under another fingerprint must rebuild them from its current records before reading them.
 */
const ROW_FORMAT = 2;
export const ROLLING_FINGERPRINT: string = createHash('sha256')
  .update(JSON.stringify([ROW_FORMAT, ROLLING_GROUPINGS]))
  .digest('hex')
  .slice(0, 16);
