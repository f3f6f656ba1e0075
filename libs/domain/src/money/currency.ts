import { DomainError } from '../errors';
import { MoneyErrorCode } from './money-errors';

/**
 * ISO 4217 codes the platform bills in, with the number of digits of each currency's minor unit
 * (EUR 0.01, JPY 1, BHD 0.001). Every line amount is rounded to exactly this many decimals.
 * Add a currency here rather than special-casing it anywhere else.
 */
export const CURRENCY_MINOR_DIGITS = {
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PLN: 2,
  RON: 2,
  SEK: 2,
  SGD: 2,
  TND: 3,
  USD: 2,
  VND: 0,
  ZAR: 2,
} as const satisfies Record<string, 0 | 2 | 3>;

export type CurrencyCode = keyof typeof CURRENCY_MINOR_DIGITS;

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.prototype.hasOwnProperty.call(CURRENCY_MINOR_DIGITS, code);
}

export function parseCurrency(code: string, field = 'currency'): CurrencyCode {
  if (typeof code === 'string' && isCurrencyCode(code)) return code;
  throw DomainError.invalid(MoneyErrorCode.UnknownCurrency, field, `must be a supported ISO 4217 code (got ${JSON.stringify(code)})`);
}

export function minorDigits(currency: CurrencyCode): 0 | 2 | 3 {
  return CURRENCY_MINOR_DIGITS[currency];
}
