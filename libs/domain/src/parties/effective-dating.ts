import { DomainError } from '../errors';

/** A row valid from `effectiveFrom` (inclusive) to `effectiveTo` (exclusive; open when null). */
export interface DatedRow {
  effectiveFrom: Date;
  effectiveTo?: Date | null;
}

export interface OverlapRefusal {
  /** The error code of the 409. */
  code: string;
  /** The input field that chose the new start. */
  field: string;
  /** What the rows are, for the message ("commission agreement", "distributor assignment"). */
  what: string;
}

/**
 * A new open-ended version starting at `from` ends the open version that started before it, at
 * `from`, so the history stays gap-free and never overlaps. Any other stored row that reaches
 * past `from` (one starting at or after it, or a closed range ending after it) would overlap, and
 * is refused: history is never rewritten, only extended.
 *
 * Returns the row to close (the caller sets its `effectiveTo` to `from`), or undefined when there
 * is no open row.
 */
export function versionClosedBy<T extends DatedRow>(rows: readonly T[], from: Date, refusal: OverlapRefusal): T | undefined {
  const at = from.getTime();
  let closing: T | undefined;
  for (const row of rows) {
    const start = row.effectiveFrom.getTime();
    const end = row.effectiveTo?.getTime() ?? null;
    if (end === null && start < at && !closing) {
      closing = row;
      continue;
    }
    if (end === null || end > at) {
      const range = `${row.effectiveFrom.toISOString()}–${row.effectiveTo ? row.effectiveTo.toISOString() : 'open'}`;
      throw DomainError.conflict(refusal.code, `${refusal.field} ${from.toISOString()} overlaps the ${refusal.what} in force ${range}`, [
        { field: refusal.field, problem: `overlaps the ${refusal.what} in force ${range}: a new version must start after every existing one` },
      ]);
    }
  }
  return closing;
}
