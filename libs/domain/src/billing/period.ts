import { DomainError } from '../errors';

/**
 * A billing period: a calendar month in the operator's time zone, as the half-open interval of
 * instants [start, end) from local midnight on the 1st to local midnight on the 1st of the next
 * month. A month with a daylight-saving change is an hour (or, in a few zones, half an hour)
 * shorter or longer.
 *
 * (Written for going live while the billing domain's own period module was in flight: the same
 * names and shapes, so that one replaces the other.)
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
const DAY_MS = 86_400_000;

/** `YYYY-MM` (1970-01 … 9999-12) → year and month; BILLING_INVALID_PERIOD naming `field` otherwise. */
export function parsePeriodId(id: string, field = 'period'): { year: number; month: number } {
  const match = typeof id === 'string' ? PERIOD_ID.exec(id) : null;
  const year = match ? +match[1] : 0;
  if (!match || year < FIRST_PERIOD_YEAR || year > LAST_PERIOD_YEAR) {
    throw DomainError.invalid(
      'BILLING_INVALID_PERIOD',
      field,
      `must be a month as YYYY-MM from ${FIRST_PERIOD_YEAR}-01 to ${LAST_PERIOD_YEAR}-12 (got ${JSON.stringify(id)})`,
    );
  }
  return { year, month: +match[2] };
}

export function formatPeriodId(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The period `id` ("2026-10") in `timeZone`, with its exact bounds. */
export function billingPeriod(id: string, timeZone: string, field = 'period'): BillingPeriod {
  const { year, month } = parsePeriodId(id, field);
  const start = firstInstantOfMonth(year, month, timeZone);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const end = firstInstantOfMonth(next.year, next.month, timeZone);
  const seconds = BigInt(Math.floor(end.getTime() / 1000) - Math.floor(start.getTime() / 1000));
  return { id: formatPeriodId(year, month), timeZone, year, month, start, end, seconds };
}

/** The period an instant falls in: start ≤ at < end. */
export function periodContaining(at: Date, timeZone: string): BillingPeriod {
  const local = wallClockAt(at, timeZone);
  let period = billingPeriod(formatPeriodId(local.year, local.month), timeZone);
  // The local month is the answer except where a zone's clock crosses midnight on the 1st; the
  // bounds decide, so that the period always contains `at`.
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
  const index = year * 12 + (month - 1) + months;
  return formatPeriodId(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw DomainError.invalid('BILLING_INVALID_TIME_ZONE', 'timeZone', `must be an IANA time zone (got ${JSON.stringify(timeZone)})`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(at: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The wall clock read as if it were UTC, in milliseconds. */
function wallClockMs(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Local time minus UTC at `at` (whole seconds). */
function offsetMs(at: number, timeZone: string): number {
  const wholeSecond = Math.floor(at / 1000) * 1000;
  return wallClockMs(wallClockAt(new Date(wholeSecond), timeZone)) - wholeSecond;
}

/**
 * The first instant of local midnight on the 1st of a month: the earlier one when the clock falls
 * back across it, and the end of the gap when midnight does not exist (the clock jumps over it).
 */
function firstInstantOfMonth(year: number, month: number, timeZone: string): Date {
  const target = Date.UTC(year, month - 1, 1);
  // The offsets a day either side bracket any transition near midnight (no zone changes twice a day).
  const candidates = [...new Set([target - offsetMs(target - DAY_MS, timeZone), target - offsetMs(target + DAY_MS, timeZone)])].sort((a, b) => a - b);
  const exact = candidates.find((t) => wallClockMs(wallClockAt(new Date(t), timeZone)) === target);
  if (exact !== undefined) return new Date(exact);
  // A gap: the first whole second whose wall clock reads midnight or later.
  let low = candidates[0];
  let high = candidates[candidates.length - 1];
  while (high - low > 1000) {
    const mid = low + Math.floor((high - low) / 2000) * 1000;
    if (wallClockMs(wallClockAt(new Date(mid), timeZone)) >= target) high = mid;
    else low = mid;
  }
  return new Date(high);
}
