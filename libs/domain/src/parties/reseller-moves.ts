import { periodContaining } from '../billing/period';
import { DomainError } from '../errors';

/**
 * The instant the calendar month containing `at` began in `timeZone`: the start of its billing
 * period (see billing/period.ts, which owns the time-zone arithmetic).
 */
export function startOfMonthIn(at: Date, timeZone: string): Date {
  return periodContaining(at, timeZone).start;
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
