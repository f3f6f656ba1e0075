import { DomainError } from '../errors';
import { epochSeconds } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import { addCalendarMonths, assertTimeZone, instantAtWallClock, wallClockAt } from './time-zone';

/**
 * A billing period: a calendar month in the operator's time zone, as the half-open interval of
 * instants [start, end) from local midnight on the 1st to local midnight on the 1st of the next
 * month. Its length in seconds is exact: a month with a daylight-saving change has an hour more or
 * less (743 or 745 hours for a 31-day month), a zone like Australia/Lord_Howe half an hour.
 */
export interface BillingPeriod {
  /** "2026-10" */
  id: string;
  timeZone: string;
  year: number;
  /** 1–12 */
  month: number;
  start: Date;
  end: Date;
  /** end − start in whole seconds. */
  seconds: bigint;
}

const PERIOD_ID = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const FIRST_PERIOD_YEAR = 1970;
export const LAST_PERIOD_YEAR = 9999;

/** `YYYY-MM` (1970-01 … 9999-12) → year and month; BILLING_INVALID_PERIOD naming `field` otherwise. */
export function parsePeriodId(id: string, field = 'period'): { year: number; month: number } {
  const match = typeof id === 'string' ? PERIOD_ID.exec(id) : null;
  const year = match ? +match[1] : 0;
  if (!match || year < FIRST_PERIOD_YEAR || year > LAST_PERIOD_YEAR) {
    throw DomainError.invalid(
      BillingErrorCode.InvalidPeriod,
      field,
      `must be a month as YYYY-MM from ${FIRST_PERIOD_YEAR}-01 to ${LAST_PERIOD_YEAR}-12 (got ${JSON.stringify(id)})`,
    );
  }
  return { year, month: +match[2] };
}

export function isPeriodId(id: unknown): id is string {
  if (typeof id !== 'string' || !PERIOD_ID.test(id)) return false;
  const year = +id.slice(0, 4);
  return year >= FIRST_PERIOD_YEAR && year <= LAST_PERIOD_YEAR;
}

export function formatPeriodId(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** Bounds already worked out, by zone and period: the time-zone arithmetic is costly and never changes. */
const boundsCache = new Map<string, { start: number; end: number }>();
const BOUNDS_CACHE_LIMIT = 10_000;

/** The period `id` ("2026-10") in `timeZone`, with its exact bounds. */
export function billingPeriod(id: string, timeZone: string, field = 'period'): BillingPeriod {
  const { year, month } = parsePeriodId(id, field);
  const key = `${timeZone} ${year}-${month}`;
  let bounds = boundsCache.get(key);
  if (!bounds) {
    assertTimeZone(timeZone);
    const next = addCalendarMonths(midnightOnThe1st(year, month), 1);
    bounds = { start: instantAtWallClock(midnightOnThe1st(year, month), timeZone).getTime(), end: instantAtWallClock(next, timeZone).getTime() };
    if (boundsCache.size >= BOUNDS_CACHE_LIMIT) boundsCache.clear();
    boundsCache.set(key, bounds);
  }
  const start = new Date(bounds.start);
  const end = new Date(bounds.end);
  return { id: formatPeriodId(year, month), timeZone, year, month, start, end, seconds: epochSeconds(end) - epochSeconds(start) };
}

/** The period an instant falls in: start ≤ at < end. */
export function periodContaining(at: Date, timeZone: string): BillingPeriod {
  const local = wallClockAt(at, timeZone);
  let period = billingPeriod(formatPeriodId(local.year, local.month), timeZone);
  // The local month is the answer except where a zone's clock falls back across midnight on the
  // 1st; the bounds decide, so that `periodContaining` always agrees with them.
  if (at.getTime() < period.start.getTime()) period = previousPeriod(period);
  else if (at.getTime() >= period.end.getTime()) period = nextPeriod(period);
  return period;
}

export function nextPeriod(period: BillingPeriod): BillingPeriod {
  return billingPeriod(shiftPeriodId(period.id, 1), period.timeZone);
}

export function previousPeriod(period: BillingPeriod): BillingPeriod {
  return billingPeriod(shiftPeriodId(period.id, -1), period.timeZone);
}

/** "2026-10" + 3 → "2027-01". */
export function shiftPeriodId(id: string, months: number): string {
  const { year, month } = parsePeriodId(id);
  const shifted = addCalendarMonths(midnightOnThe1st(year, month), months);
  return formatPeriodId(shifted.year, shifted.month);
}

/** Chronological order of period ids (their text order). */
export function comparePeriodIds(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The periods from `fromId` to `toId`, both included, oldest first. */
export function periodIdsBetween(fromId: string, toId: string): string[] {
  const ids: string[] = [];
  for (let id = fromId; comparePeriodIds(id, toId) <= 0; id = shiftPeriodId(id, 1)) ids.push(id);
  return ids;
}

/**
 * The instant `months` calendar months after `at` in `timeZone`: same local day and time, the
 * day clamped to the end of a shorter month (31 January + 1 month = 28/29 February). Used for an
 * agent's "first N months" of a client, counted from the client's `activeSince`.
 */
export function addMonthsInZone(at: Date, months: number, timeZone: string): Date {
  return instantAtWallClock(addCalendarMonths(wallClockAt(at, timeZone), months), timeZone);
}

function midnightOnThe1st(year: number, month: number) {
  return { year, month, day: 1, hour: 0, minute: 0, second: 0 };
}
