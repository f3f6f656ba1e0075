import { DomainError } from '../errors';

/**
 * The instant the calendar month containing `at` began in `timeZone` (billing periods are calendar
 * months in the operator's time zone). Pure: uses the runtime's time-zone database through Intl.
 */
export function startOfMonthIn(at: Date, timeZone: string): Date {
  const local = wallClock(at, timeZone);
  const midnightAsUtc = Date.UTC(local.year, local.month - 1, 1);
  // The offset at the guess can differ from the offset at the answer across a DST change; a second
  // pass settles it (month starts never fall inside a DST gap in any real zone at midnight + offset).
  let guess = midnightAsUtc - offsetMs(new Date(midnightAsUtc), timeZone);
  guess = midnightAsUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/**
 * When a reseller's move takes effect for billing. It may reach back to the start of the current
 * month in the operator's time zone (the current period is not billed yet) but no further: past
 * periods are never rewritten. Future-dated moves are not supported yet: the tenancy tree moves
 * at once, so the assignment cannot start later than now.
 */
export function assertMoveEffectiveFrom(from: Date, now: Date, timeZone: string, field = 'effectiveFrom'): void {
  const periodStart = startOfMonthIn(now, timeZone);
  if (from.getTime() < periodStart.getTime()) {
    throw DomainError.invalid(
      'PARTY_MOVE_IN_PAST',
      field,
      `must not be before ${periodStart.toISOString()}, the start of the current month in the operator’s time zone (${timeZone}): past periods are never rewritten`,
    );
  }
  if (from.getTime() > now.getTime()) {
    throw DomainError.invalid(
      'PARTY_MOVE_IN_FUTURE',
      field,
      'must not be in the future: a move takes effect at once (future-dated moves are not supported yet)',
    );
  }
}

function wallClock(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Local time minus UTC at `at`, in milliseconds (whole seconds). */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}
