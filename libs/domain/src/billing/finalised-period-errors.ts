/**
 * Codes of the errors raised when a billing period is finalised (libs/billing `BillingPeriods`),
 * stable for the API's exception filter and for the billing run's activities.
 */
export const FinalisedPeriodErrorCode = {
  /** A period that has not ended yet cannot be finalised (409). */
  NotEnded: 'BILLING_PERIOD_NOT_ENDED',
  /** Periods are finalised in order: the next one after the latest finalised (409). */
  OutOfOrder: 'BILLING_PERIOD_OUT_OF_ORDER',
} as const;
