/**
 * Codes of the errors recording and importing usage raise (besides the domain's USAGE_INVALID_EVENT,
 * USAGE_INVALID_LINE, USAGE_INVALID_SEQUENCE and USAGE_TRANSACTION_CONFLICT in
 * libs/domain/src/billing/billing-errors.ts). Stable strings for the API's exception filter.
 */
export const UsageErrorCode = {
  /** A batch of events that is empty or larger than USAGE_EVENTS_MAX_BATCH. */
  BatchSize: 'USAGE_BATCH_SIZE',
  /** An import file with errors: refused whole, nothing written. */
  ImportRefused: 'USAGE_IMPORT_REFUSED',
  /** An import body over USAGE_IMPORT_MAX_BYTES or USAGE_IMPORT_MAX_LINES. */
  ImportTooLarge: 'USAGE_IMPORT_TOO_LARGE',
  /** An import whose Content-Type (or Content-Encoding) is not one we read. */
  ImportUnsupportedType: 'USAGE_IMPORT_UNSUPPORTED_TYPE',
  ImportNotFound: 'USAGE_IMPORT_NOT_FOUND',
  /** Freezing a period when a later one is already frozen. */
  FreezeOutOfOrder: 'USAGE_FREEZE_OUT_OF_ORDER',
  /** Freezing a period that has not ended. */
  FreezeTooEarly: 'USAGE_FREEZE_TOO_EARLY',
} as const;

export type UsageErrorCode = (typeof UsageErrorCode)[keyof typeof UsageErrorCode];
