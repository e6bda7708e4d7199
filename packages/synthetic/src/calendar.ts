/**
 * Calendar arithmetic for the synthetic generator, on whole UTC days: pick days in a year, shift them, format them
 * at day, month or year precision, and compute a person's age on a day. Kept apart from the reference computation's
 * own period code so that the generator and the reference do not share a mistake.
 */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date. */
export const dayNumber = (year: number, month: number, day: number): number =>
  Math.round(Date.UTC(year, month - 1, day) / DAY_MS);

/** The calendar date of a day number. */
export function dateOf(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD`. */
export function isoDay(day: number): string {
  const d = dateOf(day);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** `YYYY-MM-DD`, `YYYY-MM` or `YYYY` for a day at the given precision. */
export function formatReferenceDate(day: number, precision: 'day' | 'month' | 'year'): string {
  const iso = isoDay(day);
  return precision === 'day' ? iso : precision === 'month' ? iso.slice(0, 7) : iso.slice(0, 4);
}

/** First and last day numbers of a year. */
export const yearBounds = (year: number): [number, number] => [
  dayNumber(year, 1, 1),
  dayNumber(year, 12, 31),
];

/** Completed years of age on `day` of a person born on `birthDay`. */
export function ageOn(birthDay: number, day: number): number {
  const b = dateOf(birthDay);
  const d = dateOf(day);
  const age = d.year - b.year;
  return d.month < b.month || (d.month === b.month && d.day < b.day) ? age - 1 : age;
}
