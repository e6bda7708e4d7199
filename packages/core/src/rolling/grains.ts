/**
 * Coarser grains of person references: a store may keep, besides the finest reference rows (month, provider), the
 * references of each person per grouping, codes and period over ALL providers, for the grains month, quarter, year
 * and all time. A catalogue read of persons whose selection is exactly a set of such periods (all providers, codes
 * kept whole, whole periods of the grain) counts its distinct persons from those rows, one row per person and
 * period already, instead of rolling the finest rows up. `rollingGrainsOf` decides, per part of a read (cells,
 * total), which grain and which of its periods answer it; a part it leaves undefined keeps the finest rows.
 */
import { periodOfMonth, type RollingRead } from './read.js';

/** The grains kept, in the order of their stored number (`ROLLING_GRAINS.indexOf(grain) + 1`). */
export const ROLLING_GRAINS = ['month', 'quarter', 'year', 'all'] as const;
export type RollingGrain = (typeof ROLLING_GRAINS)[number];

/**
 * Periods of a grain: labels of dated periods from `from` to `to`, and year-dated labels (`YYYY-unspecified`, kept
 * apart at the month and quarter grains) from `unspecifiedFrom` to `unspecifiedTo`; both inclusive, either may be
 * empty (from > to). Undefined: every period.
 */
export interface GrainPeriods {
  readonly from: string;
  readonly to: string;
  readonly unspecifiedFrom: string;
  readonly unspecifiedTo: string;
}

export interface GrainSelection {
  readonly grain: RollingGrain;
  readonly periods?: GrainPeriods;
}

export interface RollingGrainsPlan {
  readonly cells?: GrainSelection;
  readonly total?: GrainSelection;
}

const OPEN_FROM = '0000-00';
const OPEN_TO = '9999-99';
const QUARTER_FIRST = ['01', '04', '07', '10'];
const QUARTER_LAST = ['03', '06', '09', '12'];

/** The periods of `grain` whose union is the read's months exactly, or null when the months cut a period. */
function periodsAt(grain: Exclude<RollingGrain, 'all'>, read: RollingRead): GrainPeriods | undefined | null {
  const { months } = read;
  if (months === undefined) return undefined;
  const openFrom = months.from === OPEN_FROM;
  const openTo = months.to === OPEN_TO;
  const fromMonth = months.from.slice(5, 7);
  const toMonth = months.to.slice(5, 7);
  if (grain === 'month') return months;
  if (grain === 'quarter') {
    if ((!openFrom && !QUARTER_FIRST.includes(fromMonth)) || (!openTo && !QUARTER_LAST.includes(toMonth)))
      return null;
    return {
      from: openFrom ? '0000' : periodOfMonth('quarter', months.from),
      to: openTo ? '9999-Q9' : periodOfMonth('quarter', months.to),
      unspecifiedFrom: months.unspecifiedFrom,
      unspecifiedTo: months.unspecifiedTo,
    };
  }
  if ((!openFrom && fromMonth !== '01') || (!openTo && toMonth !== '12')) return null;
  // A frame of whole years holds the year-dated records of its years, which the year grain keeps with the others.
  return {
    from: openFrom ? '0000' : months.from.slice(0, 4),
    to: openTo ? '9999' : months.to.slice(0, 4),
    unspecifiedFrom: '1',
    unspecifiedTo: '0',
  };
}

/** The one period of a grain the read's months are, if they are one whole month, quarter or year. */
function onePeriod(read: RollingRead): GrainSelection | undefined {
  for (const grain of ['month', 'quarter', 'year'] as const) {
    const periods = periodsAt(grain, read);
    if (periods === null || periods === undefined || periods.from !== periods.to) continue;
    if (periods.from.startsWith('0000') || periods.from.startsWith('9999')) continue;
    if (grain !== 'year' && periods.unspecifiedFrom <= periods.unspecifiedTo) continue;
    return { grain, periods };
  }
  return undefined;
}

/** A part over every period of the read's frame as one: all time, or one whole period. */
const wholeFrame = (read: RollingRead): GrainSelection | undefined =>
  read.months === undefined ? { grain: 'all' } : onePeriod(read);

/**
 * Which grain answers each part of a persons read, if any. Needs all providers; the cells further need every code
 * whole (no provider breakdown, no NUTS truncation) and either the read's interval as grain over whole periods of
 * it, or no interval and a frame that is all time or one whole period. The total is one period over the frame.
 */
export function rollingGrainsOf(read: RollingRead): RollingGrainsPlan {
  if (read.providers !== undefined) return {};
  const total = wholeFrame(read);
  const wholeCodes =
    !read.columns.includes('provider') && read.geoLevels.every((level) => level === undefined);
  let cells: GrainSelection | undefined;
  if (wholeCodes) {
    if (read.interval === undefined) cells = total;
    else {
      const periods = periodsAt(read.interval, read);
      if (periods !== null) cells = { grain: read.interval, ...(periods === undefined ? {} : { periods }) };
    }
  }
  return { ...(cells === undefined ? {} : { cells }), ...(total === undefined ? {} : { total }) };
}
