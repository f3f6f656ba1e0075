/**
 * Codes of the billing run: refusals of its API and updates, and why a run stopped (the failure's
 * `type` in workflows and activities, a DomainError code in the API).
 */
export const BillingRunErrorCode = {
  /** The period is finalised: a new run is a 409; corrections are credit notes in a later run. */
  PeriodFinalised: 'BILLING_PERIOD_FINALISED',
  /** A run of the period is under way. */
  RunInProgress: 'BILLING_RUN_IN_PROGRESS',
  /** A re-rate while no changes were requested. */
  NotAwaitingRerate: 'BILLING_RUN_NOT_AWAITING_RERATE',
  /** No run of the period (or not visible). */
  RunNotFound: 'BILLING_RUN_NOT_FOUND',
  /** A run's input that cannot run (bad period, page size, durations). */
  InvalidInput: 'BILLING_RUN_INVALID_INPUT',
  /** The invariants of the ledger do not hold: the run stops before finalising. */
  InvariantBroken: 'BILLING_INVARIANT_BROKEN',
  /** A real run of a period that has not ended. */
  PeriodNotEnded: 'BILLING_PERIOD_NOT_ENDED',
  /** A document that is not visible, or not final where a final one is needed. */
  DocumentNotFound: 'BILLING_DOCUMENT_NOT_FOUND',
  DocumentNotFinal: 'BILLING_DOCUMENT_NOT_FINAL',
} as const;
export type BillingRunErrorCode = (typeof BillingRunErrorCode)[keyof typeof BillingRunErrorCode];
