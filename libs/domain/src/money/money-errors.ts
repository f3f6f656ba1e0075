/**
 * Codes of the errors money arithmetic raises. They are stable strings the API maps to HTTP
 * statuses (all are input problems, so 4xx) and activities map to non-retryable failures.
 */
export const MoneyErrorCode = {
  /** A JS number (binary floating point) was given where an exact decimal is required. */
  NumberNotAllowed: 'MONEY_NUMBER_NOT_ALLOWED',
  /** A string that is not a plain decimal ("12.50"), or NaN / Infinity. */
  InvalidDecimal: 'MONEY_INVALID_DECIMAL',
  UnknownCurrency: 'MONEY_UNKNOWN_CURRENCY',
  CurrencyMismatch: 'MONEY_CURRENCY_MISMATCH',
  /** A result would need more significant digits than the decimal context carries exactly. */
  PrecisionExceeded: 'MONEY_PRECISION_EXCEEDED',
} as const;

export type MoneyErrorCode = (typeof MoneyErrorCode)[keyof typeof MoneyErrorCode];
