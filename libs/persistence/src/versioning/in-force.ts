/**
 * The one translation of "in force" into a query over versioned rows, which are in force over
 * [effectiveFrom, effectiveTo) (open when `effectiveTo` is null): agreements, reseller
 * assignments, wholesale prices, price books, client overrides. The pure counterpart is
 * `intervalContains` / `intervalsOverlap` in libs/domain.
 */
export interface InForceFilter {
  effectiveFrom: { $lt: Date };
  $or: [{ effectiveTo: null }, { effectiveTo: { $gt: Date } }];
}

/** [from, to): the versions in force at some instant of it. */
export interface PricingWindow {
  from: Date;
  to: Date;
}

/** The window of the one instant `at` (versions are stored to the millisecond). */
export function instantWindow(at: Date): PricingWindow {
  return { from: at, to: new Date(at.getTime() + 1) };
}

/** Rows in force at some instant of `window` (a filter on an entity with `effectiveFrom` and `effectiveTo`). */
export function inForceDuring(window: PricingWindow): InForceFilter {
  return { effectiveFrom: { $lt: window.to }, $or: [{ effectiveTo: null }, { effectiveTo: { $gt: window.from } }] };
}

/** Rows in force at `at`. */
export function inForceAt(at: Date): InForceFilter {
  return inForceDuring(instantWindow(at));
}
