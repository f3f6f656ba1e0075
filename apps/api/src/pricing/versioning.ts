import { DomainError } from '@wholesail/domain';

/**
 * How the API writes versioned prices (wholesale prices, price books, client overrides). The
 * engine validates a version's values and refuses overlaps; these are the write rules around it.
 */
export const PRICING_EFFECTIVE_IN_PAST = 'PRICING_EFFECTIVE_IN_PAST';

interface VersionRow {
  effectiveFrom: Date;
  effectiveTo?: Date | null;
}

/**
 * A change never alters a past period: a new version (or an end, or a retirement) takes effect
 * now or later. Omitting the instant means "now".
 */
export function assertNotInPast(at: Date, now: Date, field: string): void {
  if (at.getTime() < now.getTime()) {
    throw DomainError.invalid(PRICING_EFFECTIVE_IN_PAST, field, 'must not be in the past: a price change never alters a past period (omit it to mean now)');
  }
}

/**
 * The open-ended version that started before `from`: a new version starting at `from` closes it
 * there, with no gap and no overlap. Any other overlap is for the engine to refuse.
 */
export function openVersionClosedBy<T extends VersionRow>(rows: readonly T[], from: Date): T | undefined {
  return rows.find((row) => row.effectiveTo == null && row.effectiveFrom.getTime() < from.getTime());
}

/** The stored versions as they will be once `closing` ends at `from`, for the engine's overlap check. */
export function rangesAfterClosing<T extends VersionRow, V>(rows: readonly T[], closing: T | undefined, from: Date, toEngine: (row: T) => V): V[] {
  return rows.map((row) => ({ ...toEngine(row), effectiveTo: row === closing ? from : (row.effectiveTo ?? null) }));
}
