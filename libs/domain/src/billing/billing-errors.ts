/**
 * Codes of the errors the billing domain (periods, usage, cuts, ledger) raises, stable for the
 * API's exception filter and for activities (which turn them into non-retryable failures).
 * `Invalid*` are input problems (kind `invalid`, naming the field); `UsageSequence` and
 * `UsageTransactionConflict` are conflicts with what is already recorded (kind `conflict`).
 */
export const BillingErrorCode = {
  /** Not an IANA time zone the runtime knows. */
  InvalidTimeZone: 'BILLING_INVALID_TIME_ZONE',
  /** A billing period that is not `YYYY-MM` from 1970-01 to 9999-12. */
  InvalidPeriod: 'BILLING_INVALID_PERIOD',
  /** A volume tier, rate or fee outside its bounds. */
  InvalidAgreement: 'BILLING_INVALID_AGREEMENT',
  /** Two records of one owner in force at once (assignments, credits, agreement versions). */
  OverlappingVersions: 'BILLING_OVERLAPPING_VERSIONS',
  /** A client, reseller chain or line the cut computation was not given consistently. */
  InvalidInput: 'BILLING_INVALID_INPUT',
  /** A resource event with a bad field (kind, quantity, instant, identifiers). */
  InvalidUsageEvent: 'USAGE_INVALID_EVENT',
  /** An imported usage line with a bad field. */
  InvalidUsageLine: 'USAGE_INVALID_LINE',
  /** Events of one resource that do not form start → change* → stop (→ start …). */
  UsageSequence: 'USAGE_INVALID_SEQUENCE',
  /** A transaction ID already recorded with different content. */
  UsageTransactionConflict: 'USAGE_TRANSACTION_CONFLICT',
} as const;

export type BillingErrorCode = (typeof BillingErrorCode)[keyof typeof BillingErrorCode];
