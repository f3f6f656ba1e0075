import { DomainError } from '../errors';
import { PricingErrorCode } from './pricing-errors';

/**
 * A point in time as services hold it: a `Date` (from the ORM) or an ISO 8601 string with an
 * explicit offset (from JSON). A bare date like "2026-10-01" is refused: whose midnight it means
 * depends on the operator's time zone, which the caller must apply.
 */
export type Instant = Date | string;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: Instant, field: string, code: string = PricingErrorCode.InvalidRange): Date {
  const raw: unknown = value;
  const date = raw instanceof Date ? new Date(raw.getTime()) : typeof raw === 'string' && ISO_INSTANT.test(raw) ? new Date(raw) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw DomainError.invalid(code, field, 'must be an ISO 8601 instant with an offset, e.g. "2026-10-15T00:00:00Z"');
  }
  return date;
}

/**
 * Whole seconds since the epoch, rounded down: usage is measured in seconds, so an instant's
 * milliseconds are dropped the same way at both ends of every interval.
 */
export function epochSeconds(date: Date): bigint {
  const ms = BigInt(date.getTime());
  const seconds = ms / 1000n;
  return ms < 0n && seconds * 1000n !== ms ? seconds - 1n : seconds;
}
