import { DomainError } from '../errors';
import { intervalsOverlap, type Interval } from '../pricing/effective-range';

/**
 * The one rule for writing versioned records (commission agreements, reseller assignments,
 * wholesale prices, price books, client overrides): a row is in force over [effectiveFrom,
 * effectiveTo) (open when `effectiveTo` is null); history is never edited, only extended.
 */
export interface DatedRow {
  effectiveFrom: Date;
  effectiveTo?: Date | null;
}

/** How a concept words a refusal: its own error code, the input field, and what its rows are. */
export interface VersionRefusal {
  /** The error code (409 for an overlap, 400 for a start before the earliest allowed instant). */
  code: string;
  /** The input field that chose the instant (`effectiveFrom`, `effectiveTo`, `retiredAt`). */
  field: string;
  /** What the rows are, for the message ("commission agreement", "price book version"). */
  what: string;
}

/**
 * A new version over [from, to) (open-ended when `to` is null or omitted) ends the open version
 * that started before it, at `from`, so the history stays gap-free. Any other overlap with a stored
 * row (one starting at or after `from` that the new range reaches, or a closed range ending after
 * `from`) is refused with the concept's code: history is never rewritten, only extended.
 *
 * Returns the row to close (the caller sets its `effectiveTo` to `from`), or undefined when no open
 * row started before `from`.
 */
export function versionClosedBy<T extends DatedRow>(rows: readonly T[], next: { from: Date; to?: Date | null }, refusal: VersionRefusal): T | undefined {
  const range: Interval = { from: next.from, to: next.to ?? null };
  const closing = rows.find((row) => row.effectiveTo == null && row.effectiveFrom.getTime() < range.from.getTime());
  for (const row of rows) {
    const stored: Interval = { from: row.effectiveFrom, to: row === closing ? range.from : (row.effectiveTo ?? null) };
    if (!intervalsOverlap(range, stored)) continue;
    const span = `${row.effectiveFrom.toISOString()}–${row.effectiveTo ? row.effectiveTo.toISOString() : 'open'}`;
    throw DomainError.conflict(refusal.code, `${refusal.field} ${range.from.toISOString()} overlaps the ${refusal.what} in force ${span}`, [
      { field: refusal.field, problem: `overlaps another version of the ${refusal.what} (in force ${span}): versions never overlap` },
    ]);
  }
  return closing;
}

/**
 * The earliest instant a versioned change may take effect, and why nothing before it may change.
 * Decided by one policy (EffectiveDatePolicy in libs/persistence: the start of the earliest billing
 * period not yet finalised, see `editableFrom` in billing).
 */
export interface EarliestAllowed {
  at: Date;
  /** Completes "must not be before <at>: …", e.g. "billing period 2026-10 is finalised …". */
  why: string;
}

/** A versioned change takes effect at `earliest.at` or later, never before: what lies before it is settled. */
export function assertNotBefore(at: Date, earliest: EarliestAllowed, refusal: VersionRefusal): void {
  if (at.getTime() >= earliest.at.getTime()) return;
  throw DomainError.invalid(
    refusal.code,
    refusal.field,
    `must not be before ${earliest.at.toISOString()}: ${earliest.why}; a change to a ${refusal.what} may not reach back further`,
  );
}

/**
 * A change that takes effect at once (a reseller's move, a client's re-credit: the tenancy tree and
 * an agent's view follow at once) cannot start later than now. Future-dated ones are not supported.
 */
export function assertNotInFuture(at: Date, now: Date, refusal: VersionRefusal): void {
  if (at.getTime() <= now.getTime()) return;
  throw DomainError.invalid(
    refusal.code,
    refusal.field,
    `must not be in the future: a change to a ${refusal.what} takes effect at once (future-dated changes are not supported yet)`,
  );
}
