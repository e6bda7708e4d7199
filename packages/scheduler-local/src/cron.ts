/**
 * A small 5-field cron parser and next-occurrence search, in UTC: `minute hour day-of-month month day-of-week`,
 * each field a list of `*`, `n`, `a-b`, `*∕s`, `a-b∕s` or `a∕s` (from a to the field's maximum). Day of week is 0-7
 * with 0 and 7 both Sunday. As in Vixie cron, when both day fields are restricted (neither starts with `*`) a day
 * matches if either does; otherwise both must. No names (`JAN`, `MON`), no `?`, `L` or `#`: MoSy's schedules are
 * written by its operators, and an unsupported pattern is rejected rather than guessed at.
 */
import { MosyError } from '@mosy/core';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/** A parsed pattern: for each field, which values match (index = value). */
export interface CronPattern {
  readonly source: string;
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly daysOfMonth: readonly boolean[];
  readonly months: readonly boolean[];
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  readonly daysOfWeek: readonly boolean[];
  readonly dayOfMonthStar: boolean;
  readonly dayOfWeekStar: boolean;
}

const MINUTE_MS = 60_000;
/** Long enough for any satisfiable pattern (29 February recurs within 8 years, across 2100). */
const SEARCH_YEARS = 9;

const invalid = (pattern: string, why: string): MosyError =>
  new MosyError('invalid-request', `invalid cron pattern "${pattern}": ${why}`);

function parseNumber(text: string, spec: FieldSpec, pattern: string): number {
  if (!/^[0-9]+$/.test(text)) throw invalid(pattern, `"${text}" is not a number (${spec.name})`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw invalid(pattern, `${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec, pattern: string): boolean[] {
  const values = new Array<boolean>(spec.max + 1).fill(false);
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) throw invalid(pattern, `"${item}" has more than one step`);
    const step = stepText === undefined ? 1 : parseNumber(stepText, { ...spec, min: 1, max: 1000 }, pattern);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined) throw invalid(pattern, `"${range}" is not a range`);
      [from, to] = [parseNumber(a, spec, pattern), parseNumber(b, spec, pattern)];
      if (from > to) throw invalid(pattern, `range ${range} runs backwards (${spec.name})`);
    } else {
      from = parseNumber(range, spec, pattern);
      // `a/s` runs from a to the maximum; a single value is just itself.
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values[v] = true;
  }
  return values;
}

/** Parses a 5-field UTC cron pattern; rejects with `invalid-request` anything else, or one that never matches. */
export function parseCron(pattern: string): CronPattern {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 5) throw invalid(pattern, `expected 5 fields, found ${fields.length}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((text, i) =>
    parseField(text, FIELDS[i]!, pattern),
  );
  const weekdays = dayOfWeek!.slice(0, 7);
  if (dayOfWeek![7]) weekdays[0] = true;
  const parsed: CronPattern = {
    source: pattern,
    minutes: minute!,
    hours: hour!,
    daysOfMonth: dayOfMonth!,
    months: month!,
    daysOfWeek: weekdays,
    dayOfMonthStar: fields[2]!.startsWith('*'),
    dayOfWeekStar: fields[4]!.startsWith('*'),
  };
  // From 2000 (a leap year) the search meets every day of every month that exists, so a miss means "never".
  if (nextCronTime(parsed, Date.UTC(2000, 0, 1) - 1) === undefined)
    throw invalid(pattern, 'it never matches');
  return parsed;
}

function dayMatches(p: CronPattern, date: Date): boolean {
  const dom = p.daysOfMonth[date.getUTCDate()] === true;
  const dow = p.daysOfWeek[date.getUTCDay()] === true;
  return p.dayOfMonthStar || p.dayOfWeekStar ? dom && dow : dom || dow;
}

/** The first whole minute strictly after `afterMs` that matches, or undefined if none within nine years. */
export function nextCronTime(p: CronPattern, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const limit = t + SEARCH_YEARS * 366 * 24 * 60 * MINUTE_MS;
  while (t <= limit) {
    const d = new Date(t);
    const [year, month, day, hour] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
    if (!p.months[month + 1]) {
      t = Date.UTC(year, month + 1, 1);
    } else if (!dayMatches(p, d)) {
      t = Date.UTC(year, month, day + 1);
    } else if (!p.hours[hour]) {
      t = Date.UTC(year, month, day, hour + 1);
    } else if (!p.minutes[d.getUTCMinutes()]) {
      t += MINUTE_MS;
    } else {
      return t;
    }
  }
  return undefined;
}
