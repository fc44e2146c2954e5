/**
 * The demo data's calendar. The data is fixed "as of" late November 2026 rather than the clock, so
 * every run produces the same rows: November 2026 is the open reporting month, months up to
 * September 2026 are locked, and no history is dated after DEMO_TODAY.
 * Months are "YYYY-MM" strings, which compare correctly as text.
 */
import { Prng } from './prng';

/** 14:00 CST on 28 November 2026. */
export const DEMO_TODAY = new Date(Date.UTC(2026, 10, 28, 6));
export const CURRENT_PERIOD = '2026-11';
/** The last month the city has locked; the month after it is still being confirmed. */
export const LAST_LOCKED_PERIOD = '2026-09';
/** The first month the demo has monthly reports for: projects under way report from their start. */
export const FIRST_REPORT_PERIOD = '2025-01';

const DAY_MS = 86_400_000;

const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthAt = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

export const addMonths = (month: string, count: number): string => monthAt(monthIndex(month) + count);
export const yearOf = (month: string): number => Number(month.slice(0, 4));

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) months.push(monthAt(i));
  return months;
}

export const randomMonth = (rng: Prng, from: string, to: string): string => monthAt(rng.int(monthIndex(from), monthIndex(to)));

/** A moment on `day` of `month` in Sichuan office hours (09:00–17:00 CST is 01:00–09:00 UTC). */
export function dayIn(rng: Prng, month: string, day: number): Date {
  const index = monthIndex(month);
  return new Date(Date.UTC(Math.floor(index / 12), index % 12, day, rng.int(1, 8), rng.int(0, 59)));
}

const CST_OFFSET_MS = 8 * 3_600_000;

/** A moment in office hours on a day (in China Standard Time) from `from` to `to`. */
export function dayBetween(rng: Prng, from: Date, to: Date): Date {
  const first = new Date(from.getTime() + CST_OFFSET_MS);
  const day = addDays(first, rng.int(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS)));
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), rng.int(1, 8), rng.int(0, 59)));
}

/** 23:59:59 CST on the (CST) day of `date`. */
export function endOfDay(date: Date): Date {
  const cst = new Date(date.getTime() + CST_OFFSET_MS);
  return new Date(Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth(), cst.getUTCDate(), 15, 59, 59));
}

/** 10:00 CST on `day` of `month`: for steps done for many records at once, such as locking a month. */
export function fixedDay(month: string, day: number): Date {
  const index = monthIndex(month);
  return new Date(Date.UTC(Math.floor(index / 12), index % 12, day, 2));
}

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);

/** Caps a date at DEMO_TODAY; capping keeps a record's steps in order (they may then share a time). */
export const notAfterToday = (date: Date): Date => (date > DEMO_TODAY ? DEMO_TODAY : date);

/** "YYYY-MM-DD" of a date, for the day-precision text columns. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Dates for consecutive steps `gaps[i]` days apart, starting at `preferredStart` or earlier so
 * that the last one falls no later than `latest`.
 */
export function timeline(gaps: number[], preferredStart: Date, latest: Date): Date[] {
  const span = gaps.reduce((sum, gap) => sum + gap, 0);
  let at = new Date(Math.min(preferredStart.getTime(), latest.getTime() - span * DAY_MS));
  return gaps.map((gap) => (at = addDays(at, gap)));
}
