import ms, { type StringValue } from 'ms';
import { DomainError } from '../errors';
import { ApprovalErrorCode } from './approval-errors';

/**
 * Milliseconds of a duration string in the `ms` grammar ("30s", "15 minutes", "2 days", "1.5h",
 * "1w"; a bare number is milliseconds): the grammar of Temporal's own `Duration` strings, so one
 * value means the same in configuration, workflow inputs and Temporal timers. Timings travel as
 * strings in workflow inputs; workflows convert them once so deadlines can be computed and shown
 * as instants. Anything that is not a positive duration is a DomainError naming `field`.
 */
export function parseDuration(value: string, field = 'duration'): number {
  let millis = NaN;
  try {
    millis = typeof value === 'string' ? Math.round(ms(value.trim() as StringValue)) : NaN;
  } catch {
    // ms throws on an empty or over-long string: refused below like any other malformed value.
  }
  if (!Number.isFinite(millis) || millis <= 0) {
    throw DomainError.invalid(ApprovalErrorCode.InvalidDuration, field, 'must be a positive duration such as "30s", "15 minutes" or "3 days"');
  }
  return millis;
}
