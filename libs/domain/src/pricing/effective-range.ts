import { DomainError, FieldProblem } from '../errors';
import { Instant, parseInstant } from './instant';
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
  const prefix = field ? `${field}.` : '';
  const from = parseInstant(range.effectiveFrom, `${prefix}effectiveFrom`);
  const to = range.effectiveTo == null ? null : parseInstant(range.effectiveTo, `${prefix}effectiveTo`);
  if (to !== null && to.getTime() <= from.getTime()) {
    throw DomainError.invalid(PricingErrorCode.InvalidRange, `${prefix}effectiveTo`, 'must be after effectiveFrom');
  }
  return { from, to };
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
  const matches = versions.filter((version) => intervalContains(parseRange(version), at));
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
  const inside = new Map<number, Date>();
  for (const version of versions) {
    const { from: start, to: end } = parseRange(version);
    for (const edge of end === null ? [start] : [start, end]) {
      if (edge.getTime() > from.getTime() && edge.getTime() < to.getTime()) inside.set(edge.getTime(), edge);
    }
  }
  return [...inside.values()].sort((a, b) => a.getTime() - b.getTime());
}
