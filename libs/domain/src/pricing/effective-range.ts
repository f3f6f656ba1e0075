import { DomainError, FieldProblem } from '../errors';
import { Instant, instantProblem, parseInstant } from './instant';
import { PricingErrorCode } from './pricing-errors';

/**
 * Every versioned price record (wholesale price, price book, client override) is in force over
 * [effectiveFrom, effectiveTo): the start is inclusive, the end exclusive, and a missing end means
 * "until further notice". A change at 15 Oct 00:00 therefore ends the old version and starts the
 * new one at the same instant, with no gap and no overlap, and a past period keeps the versions
 * that were in force during it.
 */
export interface EffectiveRange {
  effectiveFrom: Instant;
  effectiveTo?: Instant | null;
}

export interface Interval {
  from: Date;
  /** null: open-ended. */
  to: Date | null;
}

export function parseRange(range: EffectiveRange, field = ''): Interval {
  const { from, to } = rangeMs(range, field);
  return { from: new Date(from), to: to === null ? null : new Date(to) };
}

/**
 * `parseRange`'s checks and bounds, in epoch milliseconds: what the lookups below compare, for
 * every version at every priced line, without two Dates and two field names made each time.
 */
function rangeMs(range: EffectiveRange, field: string): { from: number; to: number | null } {
  const from = instantMs(range.effectiveFrom, field, 'effectiveFrom');
  const to = range.effectiveTo == null ? null : instantMs(range.effectiveTo, field, 'effectiveTo');
  if (to !== null && to <= from) throw DomainError.invalid(PricingErrorCode.InvalidRange, rangeField(field, 'effectiveTo'), 'must be after effectiveFrom');
  return { from, to };
}

/** `parseInstant(value, field).getTime()`; the field's name is spelt out only for an error. */
function instantMs(value: Instant, field: string, name: string): number {
  if (value instanceof Date && !instantProblem(value)) return value.getTime();
  return parseInstant(value, rangeField(field, name)).getTime();
}

function rangeField(field: string, name: string): string {
  return field ? `${field}.${name}` : name;
}

/** The problems of a range, for validators that report every field at once. */
export function rangeProblems(range: EffectiveRange, field = ''): FieldProblem[] {
  try {
    parseRange(range, field);
    return [];
  } catch (error) {
    if (error instanceof DomainError) return error.fields;
    throw error;
  }
}

export function intervalContains(interval: Interval, at: Date): boolean {
  return interval.from.getTime() <= at.getTime() && (interval.to === null || at.getTime() < interval.to.getTime());
}

export function intervalsOverlap(a: Interval, b: Interval): boolean {
  const aStartsBeforeBEnds = b.to === null || a.from.getTime() < b.to.getTime();
  const bStartsBeforeAEnds = a.to === null || b.from.getTime() < a.to.getTime();
  return aStartsBeforeBEnds && bStartsBeforeAEnds;
}

/**
 * The one version in force at `at`, or undefined. Two in force at once is a data error that
 * validation should have refused; it is refused here too rather than picking one arbitrarily.
 */
export function versionInForce<T extends EffectiveRange>(versions: readonly T[], at: Date, describe: string): T | undefined {
  const ms = at.getTime();
  const matches = versions.filter((version) => {
    const { from, to } = rangeMs(version, '');
    return from <= ms && (to === null || ms < to);
  });
  if (matches.length > 1) {
    throw DomainError.conflict(PricingErrorCode.OverlappingVersions, `${matches.length} versions of ${describe} are in force at ${at.toISOString()}`, [
      { field: 'effectiveFrom', problem: `overlaps another version of ${describe}` },
    ]);
  }
  return matches[0];
}

/** Pairs of indexes of versions whose ranges overlap (versions of one owner and item). */
export function overlappingPairs(versions: readonly EffectiveRange[]): Array<[number, number]> {
  const intervals = versions.map((version) => parseRange(version));
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < intervals.length; i++) {
    for (let j = i + 1; j < intervals.length; j++) {
      if (intervalsOverlap(intervals[i], intervals[j])) pairs.push([i, j]);
    }
  }
  return pairs;
}

/** The instants strictly inside (from, to) at which any of `versions` starts or ends. */
export function boundariesWithin(versions: readonly EffectiveRange[], from: Date, to: Date): Date[] {
  const inside = new Set<number>();
  const after = from.getTime();
  const before = to.getTime();
  for (const version of versions) {
    const { from: start, to: end } = rangeMs(version, '');
    if (start > after && start < before) inside.add(start);
    if (end !== null && end > after && end < before) inside.add(end);
  }
  return [...inside].sort((a, b) => a - b).map((edge) => new Date(edge));
}
