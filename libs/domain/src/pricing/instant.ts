import { DomainError } from '../errors';
import { PricingErrorCode } from './pricing-errors';

/**
 * A point in time as services hold it: a `Date` (from the ORM) or an ISO 8601 string with an
 * explicit offset (from JSON). A bare date like "2026-10-01" is refused: whose midnight it means
 * depends on the operator's time zone, which the caller must apply.
 */
export type Instant = Date | string;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Instants the system takes: from the Unix epoch to the end of year 9999 (UTC), what every store and client can hold. */
export const EARLIEST_INSTANT = new Date('1970-01-01T00:00:00Z');
export const LATEST_INSTANT = new Date('9999-12-31T23:59:59.999Z');

const SHAPE_PROBLEM = 'must be an ISO 8601 instant with an offset, e.g. "2026-10-15T00:00:00Z"';
const RANGE_PROBLEM = 'must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

/** Why a value is not an instant the system takes, or undefined when it is one (the one rule, for DTOs and services alike). */
export function instantProblem(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) return SHAPE_PROBLEM;
  if (date.getTime() < EARLIEST_INSTANT.getTime() || date.getTime() > LATEST_INSTANT.getTime()) return RANGE_PROBLEM;
  return undefined;
}

export function parseInstant(value: Instant, field: string, code: string = PricingErrorCode.InvalidRange): Date {
  const problem = instantProblem(value);
  if (problem) throw DomainError.invalid(code, field, problem);
  return value instanceof Date ? new Date(value.getTime()) : new Date(value);
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
