import { DomainError, Dec, exactMul, isCurrencyCode, minorDigits } from '@wholesail/domain';
import { BillingDocumentErrorCode } from './billing-documents-errors';

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * How documents show figures: from the decimal strings as stored, by string operations only (no
 * JS number ever holds an amount), with no locale dependency, so the e-mail, the PDF and a test
 * all print the same characters.
 */

/** "1234.5" in EUR → "1,234.50 EUR"; never rounds: digits beyond the minor unit are kept. */
export function formatAmount(amount: string, currency: string, field = 'amount'): string {
  return `${formatDecimal(amount, isCurrencyCode(currency) ? minorDigits(currency) : 2, field)} ${currency}`;
}

/** "1234567.125" → "1,234,567.125", padded with zeros to at least `minDecimals`; "-0.00" → "0.00". */
export function formatDecimal(value: string, minDecimals = 0, field = 'value'): string {
  const match = typeof value === 'string' ? PLAIN_DECIMAL.exec(value) : null;
  if (!match) throw invalidFigure(field, value);
  const [, sign, integer, fraction = ''] = match;
  const digits = integer.replace(/^0+(?=\d)/, '');
  const decimals = fraction.length >= minDecimals ? fraction : fraction.padEnd(minDecimals, '0');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const zero = /^0*$/.test(digits) && /^0*$/.test(decimals);
  return `${sign && !zero ? '-' : ''}${grouped}${decimals ? `.${decimals}` : ''}`;
}

/** Rates already formatted: a document repeats a handful of rates on thousands of lines. */
const formattedRates = new Map<string, string>();
const FORMATTED_RATES_KEPT = 1_000;

/** A rate as a fraction ("0.05", "0.0125") → "5 %", "1.25 %" (exact: the decimal point moves). */
export function formatRate(rate: string, field = 'rate'): string {
  const known = typeof rate === 'string' ? formattedRates.get(rate) : undefined;
  if (known !== undefined) return known;
  if (typeof rate !== 'string' || !PLAIN_DECIMAL.test(rate)) throw invalidFigure(field, rate);
  const formatted = `${formatDecimal(exactMul(new Dec(rate), new Dec(100)).toFixed(), 0, field)} %`;
  if (formattedRates.size >= FORMATTED_RATES_KEPT) formattedRates.clear();
  formattedRates.set(rate, formatted);
  return formatted;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-10" → "October 2026". */
export function formatPeriod(period: string, field = 'period'): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) throw DomainError.invalid(BillingDocumentErrorCode.InvalidFigure, field, `must be a period YYYY-MM (got ${JSON.stringify(period)})`);
  return `${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

function invalidFigure(field: string, value: unknown): DomainError {
  return DomainError.invalid(BillingDocumentErrorCode.InvalidFigure, field, `must be a plain decimal string such as "12.50" (got ${JSON.stringify(value)})`);
}
