import { DomainError } from '../errors';
import { ApprovalErrorCode } from './approval-errors';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const DURATION = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/**
 * Milliseconds of a Temporal-style duration string ("30s", "2 days", "1.5h"; a bare number is
 * milliseconds), the format Temporal's own timers accept. Timings travel as strings in workflow
 * inputs; workflows convert them once so deadlines can be computed and shown as instants.
 */
export function parseDuration(value: string, field = 'duration'): number {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  const unit = match ? (match[2] === '' ? 1 : UNIT_MS[match[2].toLowerCase()]) : undefined;
  const ms = match && unit !== undefined ? Math.round(Number(match[1]) * unit) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw DomainError.invalid(ApprovalErrorCode.InvalidDuration, field, 'must be a positive duration such as "30s", "15 minutes" or "3 days"');
  }
  return ms;
}
