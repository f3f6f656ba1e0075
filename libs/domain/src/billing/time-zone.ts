import { DomainError } from '../errors';
import { BillingErrorCode } from './billing-errors';

/**
 * Wall-clock time in an IANA time zone, through the runtime's own time-zone data (Intl), so no
 * time-zone database is downloaded or shipped. Integer milliseconds throughout: whole seconds
 * and calendar fields, never fractions.
 */
export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone as given, if the runtime knows it; otherwise BILLING_INVALID_TIME_ZONE naming `field`. */
export function assertTimeZone(timeZone: string, field = 'timeZone'): string {
  formatterFor(timeZone, field);
  return timeZone;
}

/** The local date and time at `at` in `timeZone` (milliseconds dropped). */
export function wallClockAt(at: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(at);
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    const value = parts.find((part) => part.type === type)?.value ?? '';
    if (!/^\d+$/.test(value)) throw new Error(`Intl gave no ${type} for ${at.toISOString()} in ${timeZone}`);
    return +value;
  };
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') };
}

/** Local time minus UTC at `at`, in milliseconds (a whole number of seconds). */
export function utcOffsetMs(at: Date, timeZone: string): number {
  const wholeSecond = at.getTime() - mod(at.getTime(), 1000);
  return wallClockMs(wallClockAt(at, timeZone)) - wholeSecond;
}

/**
 * The instant at which the wall clock of `timeZone` first reads `local` — or, when that local time
 * does not exist (it falls in a daylight-saving gap), the first instant after the gap. When the
 * local time occurs twice (clocks fall back), the earlier occurrence. Exact to the second.
 */
export function instantAtWallClock(local: WallClock, timeZone: string): Date {
  const target = wallClockMs(local);
  // The offsets in force a day either side bracket every real transition (none comes within a
  // day of another); each gives a candidate instant, valid if the wall clock there reads `local`.
  const before = utcOffsetMs(new Date(target - DAY_MS), timeZone);
  const after = utcOffsetMs(new Date(target + DAY_MS), timeZone);
  const candidates = [...new Set([target - before, target - after])].sort((a, b) => a - b);
  const valid = candidates.filter((t) => wallClockMs(wallClockAt(new Date(t), timeZone)) === target);
  if (valid.length) return new Date(valid[0]);
  // A gap: the wall clock jumps over `local`. Find, to the second, the first instant whose wall
  // clock reads later than `local`, between the two candidates (the clock runs forward there).
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  while (high - low > 1000) {
    const mid = low + (high - low) / 2 - mod(low + (high - low) / 2, 1000);
    if (wallClockMs(wallClockAt(new Date(mid), timeZone)) >= target) high = mid;
    else low = mid;
  }
  return new Date(high);
}

/** The wall clock `months` calendar months later, its day clamped to the length of that month. */
export function addCalendarMonths(local: WallClock, months: number): WallClock {
  const index = local.year * 12 + (local.month - 1) + months;
  const year = (index - mod(index, 12)) / 12;
  const month = mod(index, 12) + 1;
  return { ...local, year, month, day: Math.min(local.day, daysInMonth(year, month)) };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The wall clock read as if it were UTC, in milliseconds: comparable and subtractable. */
export function wallClockMs(local: WallClock): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}

function formatterFor(timeZone: string, field = 'timeZone'): Intl.DateTimeFormat {
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
      throw DomainError.invalid(
        BillingErrorCode.InvalidTimeZone,
        field,
        `must be an IANA time zone such as "Europe/Amsterdam" (got ${JSON.stringify(timeZone)})`,
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Remainder with the sign of the divisor (JS `%` keeps the dividend's sign). */
function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
