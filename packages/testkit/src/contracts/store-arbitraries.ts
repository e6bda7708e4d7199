/**
 * fast-check generators for the randomized store tests: histories of normalized records over a small world (two
 * providers, six record ids, a few versions, persons shared across records, dates of every precision around a
 * year boundary) and queries over it. The world is small on purpose, so versions collide, withdrawals hit, persons
 * repeat and most queries select something; filters and time frames are sparse for the same reason.
 */
import fc from 'fast-check';
import {
  ROLLING_GROUPINGS,
  isGeoDimension,
  type Dimension,
  type NormalizedRecord,
  type RecordKind,
  type StoreQuery,
} from '@mosy/core';
import { buildNormalizedRecord } from '../builders.js';

/** Day, month and year dates around the 2025/2026 boundary, Mondays and other weekdays. */
const DATES = [
  '2025-06',
  '2025-12-29',
  '2025-12-31',
  '2026-01-01',
  '2026-01-05',
  '2026-02',
  '2026-02-18',
  '2026-03-31',
  '2026',
];

/** One normalized record (an upsert or, one time in five, a withdrawal) of `kinds`. */
export function normalizedRecordArb(
  kinds: readonly RecordKind[] = ['victim'],
): fc.Arbitrary<NormalizedRecord> {
  return fc
    .record({
      providerId: fc.constantFrom('prov-a', 'prov-b'),
      recordId: fc.constantFrom('1', '2', '3', '4', '5', '6'),
      version: fc.integer({ min: 1, max: 4 }),
      withdraw: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      kind: fc.constantFrom(...kinds),
      referenceDate: fc.constantFrom(...DATES),
      person: fc.constantFrom('p:1', 'p:2', 'p:3', undefined),
      sex: fc.constantFrom('F', 'M', 'UNK'),
      status: fc.constantFrom('IDENTIFIED', 'PRESUMED', 'FLAGGED'),
      ageGroup: fc.constantFrom('0-11', '16-17', '18-24', 'adult', 'UNK'),
      exploitation: fc.subarray(['SEX', 'LAB', 'BEG', 'UNK'], { minLength: 1 }),
      citizenship: fc.subarray(['PT', 'BR', 'UNK'], { minLength: 1 }),
      region: fc.constantFrom('PT111', 'PT11', 'PT16', 'PT', 'ES51', 'BR', 'UNK'),
    })
    .map((r) =>
      buildNormalizedRecord({
        providerId: r.providerId,
        providerType: r.providerId === 'prov-a' ? 'POLICE' : 'NGO',
        recordId: r.recordId,
        version: r.version,
        action: r.withdraw ? 'withdraw' : 'upsert',
        kind: r.kind,
        referenceDate: r.referenceDate,
        ...(r.person === undefined ? {} : { personKey: r.person }),
        ...(r.withdraw
          ? {}
          : {
              fields: {
                sex: r.sex,
                ageGroup: r.ageGroup,
                exploitation: r.exploitation,
                citizenship: r.citizenship,
                regionOfIdentification: r.region,
                ...(r.kind === 'victim' ? { status: r.status } : {}),
              },
            }),
      }),
    );
}

/** Batches of records, to be applied in order. */
export const recordBatchesArb = (
  kinds: readonly RecordKind[] = ['victim'],
): fc.Arbitrary<NormalizedRecord[][]> =>
  fc.array(fc.array(normalizedRecordArb(kinds), { minLength: 1, maxLength: 10 }), {
    minLength: 1,
    maxLength: 5,
  });

/** `arbitrary` once in `1 + absent` times, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absent = 3): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight: 1 });

const FILTERS: Readonly<Partial<Record<Dimension, readonly string[]>>> = {
  sex: ['F', 'M', 'UNK'],
  ageGroup: ['0-11', '16-17', 'adult', 'UNK'],
  exploitation: ['SEX', 'LAB', 'BEG'],
  citizenship: ['PT', 'UNK'],
  regionOfIdentification: ['PT1', 'PT11', 'ES', 'BR', 'UNK'],
  status: ['IDENTIFIED', 'PRESUMED'],
  ageClass: ['child', 'adult'],
  providerId: ['prov-a', 'prov-b'],
  providerType: ['POLICE', 'NGO'],
};

/** A query over the world of `normalizedRecordArb`: up to `maxBy` breakdowns, at most two filters. */
export function storeQueryArb(
  kinds: readonly RecordKind[] = ['victim'],
  maxBy = 2,
): fc.Arbitrary<StoreQuery> {
  const filter = fc
    .constantFrom(...(Object.keys(FILTERS) as Dimension[]))
    .chain((dimension) =>
      fc.subarray([...FILTERS[dimension]!], { minLength: 1 }).map((values) => [dimension, values] as const),
    );
  return fc
    .record({
      kind: fc.constantFrom(...kinds),
      unit: fc.constantFrom('persons' as const, 'records' as const),
      by: fc.subarray(
        [
          'sex',
          'exploitation',
          'citizenship',
          'regionOfIdentification',
          'ageClass',
          'providerId',
        ] as Dimension[],
        { maxLength: maxBy },
      ),
      interval: sometimes(
        fc.constantFrom(
          'day' as const,
          'week' as const,
          'month' as const,
          'quarter' as const,
          'year' as const,
        ),
        1,
      ),
      filters: fc.array(filter, { maxLength: 2 }).map((pairs) => Object.fromEntries(pairs)),
      from: sometimes(fc.constantFrom('2025-01-01', '2026-01-01', '2026-02-01')),
      to: sometimes(fc.constantFrom('2025-12-31', '2026-03-31', '2026-12-31')),
      geoLevel: sometimes(fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const)),
    })
    .map((query) => {
      const { interval, from, to, geoLevel, ...rest } = query;
      return {
        ...rest,
        ...(interval === undefined ? {} : { interval }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(geoLevel === undefined ? {} : { geoLevel }),
      };
    });
}

/** Time frames of whole months, quarters and years around the world's dates, no frame, and one that cuts a month. */
const FRAMES: readonly { from?: string; to?: string }[] = [
  {},
  {},
  { from: '2026-01-01', to: '2026-03-31' },
  { from: '2025-12-01', to: '2025-12-31' },
  { from: '2026-02-01', to: '2026-02-28' },
  { from: '2025-12-01', to: '2026-02-28' },
  { from: '2025-01-01', to: '2026-12-31' },
  { from: '2026-01-01' },
  { to: '2025-12-31' },
  { from: '2026-01-05', to: '2026-03-31' },
  { from: '2026-01-01', to: '2026-12-31' },
];

/**
 * A catalogue read over the world of `normalizedRecordArb`: a rolling grouping of `kinds` (its dimensions in any
 * order, sometimes with a provider breakdown, one provider or both), by month, quarter, year or none, at any NUTS
 * level, over a time frame of whole months or none (and now and then one that cuts a month, which the current
 * records answer).
 */
export function catalogueQueryArb(kinds: readonly RecordKind[] = ['victim']): fc.Arbitrary<StoreQuery> {
  const groupings = ROLLING_GROUPINGS.filter((g) => kinds.includes(g.kind));
  return fc
    .record({
      grouping: fc.constantFrom(...groupings),
      unit: fc.constantFrom('persons' as const, 'records' as const),
      reversed: fc.boolean(),
      provider: fc.constantFrom('all', 'all', 'by', 'prov-a', 'prov-b', 'both'),
      interval: fc.constantFrom('quarter' as const, 'month' as const, 'year' as const, undefined),
      frame: fc.constantFrom(...FRAMES),
      geoLevel: sometimes(fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const), 1),
      // A dimension of the grouping turned into a filter on some of its codes (as the reports' recodes ask).
      filtered: sometimes(fc.tuple(fc.nat(), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 })), 2),
    })
    .map(({ grouping, unit, reversed, provider, interval, frame, geoLevel, filtered }) => {
      const by: Dimension[] = reversed ? [...grouping.by].reverse() : [...grouping.by];
      const extra: { [D in Dimension]?: readonly string[] } = {};
      if (filtered !== undefined && by.length > 0) {
        const [at, keep] = filtered;
        const dimension = by[at % by.length]!;
        const codes = FILTERS[dimension];
        if (codes !== undefined) {
          const values = codes.filter((_, i) => keep[i] === true);
          extra[dimension] = values.length > 0 ? values : [codes[0]!];
          by.splice(by.indexOf(dimension), 1);
        }
      }
      if (provider === 'by') by.splice(reversed ? 0 : by.length, 0, 'providerId');
      const providers =
        provider === 'both' ? ['prov-a', 'prov-b'] : provider.startsWith('prov-') ? [provider] : [];
      return {
        kind: grouping.kind,
        unit,
        by,
        filters: {
          ...grouping.filters,
          ...extra,
          ...(providers.length > 0 ? { providerId: providers } : {}),
        },
        ...(interval === undefined ? {} : { interval }),
        ...frame,
        ...(geoLevel !== undefined && by.some(isGeoDimension) ? { geoLevel } : {}),
      };
    });
}
