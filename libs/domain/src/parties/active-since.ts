import { DomainError } from '../errors';
import { PartyErrorCode } from './party-errors';

/** The earliest customer-since date: history moved from another platform may reach back this far. */
export const EARLIEST_ACTIVE_SINCE = new Date('1970-01-01T00:00:00.000Z');

/**
 * A client's customer-since date (`activeSince`). It records history, possibly from another
 * platform the client was moved from, so it may lie long before the client was created here:
 * any instant from 1970 on, but never in the future.
 */
export function assertActiveSince(at: Date, now: Date, field = 'activeSince'): void {
  if (at.getTime() < EARLIEST_ACTIVE_SINCE.getTime())
    throw DomainError.invalid(PartyErrorCode.InvalidActiveSince, field, `must not be before ${EARLIEST_ACTIVE_SINCE.toISOString()}`);
  if (at.getTime() > now.getTime())
    throw DomainError.invalid(PartyErrorCode.InvalidActiveSince, field, 'must not be in the future: it records since when the client has been a customer');
}

/**
 * A change of a client's `activeSince`. Finalised billing periods were computed with the old date
 * (an agent's first N months count from it, and so may the per-active-client fee), so it may
 * change only while no finalised period depends on it: both the old and the new date must lie at
 * or after the end of the latest finalised period (`finalisedUntil`; null when none is finalised,
 * and then any change within `assertActiveSince` is allowed).
 */
export function assertActiveSinceChange(current: Date, next: Date, now: Date, finalisedUntil: Date | null, field = 'activeSince'): void {
  assertActiveSince(next, now, field);
  if (finalisedUntil === null) return;
  const until = finalisedUntil.toISOString();
  if (current.getTime() < finalisedUntil.getTime()) {
    const problem = `is settled: ${current.toISOString()} lies in a finalised billing period (finalised until ${until}), whose cuts depend on it`;
    throw DomainError.conflict(PartyErrorCode.ActiveSinceSettled, `${field} ${problem}`, [{ field, problem }]);
  }
  if (next.getTime() < finalisedUntil.getTime())
    throw DomainError.invalid(
      PartyErrorCode.ActiveSinceInFinalisedPeriod,
      field,
      `must not be before ${until}: billing periods up to then are finalised and never change`,
    );
}
