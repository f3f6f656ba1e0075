import Decimal from 'decimal.js';
import { DomainError } from '../errors';
import { MoneyErrorCode } from './money-errors';

/**
 * The decimal context for money and prices.
 *
 * Half-even rounding is the context default so that nothing can round any other way by accident,
 * but the context never rounds on its own in practice: `precision` is a ceiling on significant
 * digits, not a rounding step, and we only add, subtract and multiply (see `exact.ts`), which are
 * exact whenever the result fits. 40 digits would not do: a five-tier chain with two-decimal
 * percentages over a four-decimal price, times a fractional quantity, already needs ~45 digits, and
 * unit prices must stay exact until the single rounding of a line. 1,000 digits leaves room for any
 * realistic chain (each tier adds about ten), and `exact.ts` refuses, rather than rounds, beyond it.
 *
 * Exponent notation is switched off so `toString()` / `toJSON()` always print plain decimals.
 */
export const DECIMAL_PRECISION = 1_000;

export const Dec = Decimal.clone({
  precision: DECIMAL_PRECISION,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/** An exact decimal value (a decimal.js instance of the money context). */
export type Dec = Decimal;

/**
 * What callers may pass where an exact decimal is expected: a plain decimal string ("12.50",
 * "-0.125") or a decimal.js instance. Never a JS `number`: binary floating point cannot hold 0.1,
 * so a number is rejected here by type and, for untyped callers (JSON, `any`), at run time.
 */
export type DecimalInput = string | Decimal;

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Parse a decimal input into the money context. `field` names the input in the error so the API
 * can point at it (e.g. `rules[2].discountPercent`).
 */
export function parseDecimal(value: DecimalInput, field = 'amount'): Dec {
  const raw: unknown = value;
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    throw new DomainError(MoneyErrorCode.NumberNotAllowed, `${field} must be a decimal string such as "12.50", not a JS ${typeof raw} (${String(raw)})`, [
      { field, problem: 'must be a decimal string, not a number' },
    ]);
  }
  if (typeof raw === 'string') {
    const known = parsed.get(raw);
    if (known) return known;
    if (!PLAIN_DECIMAL.test(raw)) throw invalidDecimal(field, raw);
    const value = new Dec(raw);
    if (raw.length <= PARSED_LENGTH) remember(raw, value);
    return value;
  }
  if (Decimal.isDecimal(raw)) {
    if (!raw.isFinite()) throw invalidDecimal(field, raw.toString());
    // decimal.js values are immutable: one of the money context needs no copy.
    return raw.constructor === Dec ? raw : new Dec(raw);
  }
  throw invalidDecimal(field, String(raw));
}

/**
 * The decimals of strings parsed lately. Rating parses the same few strings over and over (a
 * price, a book's percentages, a quantity, for every line of every client); a value is immutable,
 * so the parse of a string is kept and handed out again. Only valid, short strings get in, and the
 * map is emptied when full, so it stays small whatever the input.
 */
const parsed = new Map<string, Dec>();
const PARSED_KEPT = 4_096;
const PARSED_LENGTH = 40;

function remember(raw: string, value: Dec): void {
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(raw, value);
}

/** decimal.js keeps a coefficient in words of this many decimal digits (base 10^7). */
export const DIGITS_PER_WORD = 7;

/**
 * The exact digits of a finite decimal as an unsigned integer string and a scale, value = ±digits ×
 * 10^-scale, with no trailing zero below the point: -12.3450 → { "12345", 3 }, 1200 → { "1200", 0 },
 * 0 → { "0", 0 }. Read off decimal.js's coefficient words (the first without leading zeros, each
 * next one of 7 digits; `e` is the power of ten of the leading digit), which is what `toFixed()`
 * prints but without its copy and rounding pass — this runs for every amount printed or rounded.
 */
export function coefficientDigits(value: Dec): { digits: string; scale: number } {
  const words = value.d;
  let text = String(words[0]);
  for (let i = 1; i < words.length; i++) text += String(words[i]).padStart(DIGITS_PER_WORD, '0');
  let scale = text.length - 1 - value.e;
  let end = text.length;
  while (scale > 0 && end > 1 && text.charCodeAt(end - 1) === 48) {
    end--;
    scale--;
  }
  if (end < text.length) text = text.slice(0, end);
  return scale < 0 ? { digits: text + '0'.repeat(-scale), scale: 0 } : { digits: text, scale };
}

/** True when `value` is a plain decimal string or a finite decimal.js instance. */
export function isDecimalInput(value: unknown): value is DecimalInput {
  return (typeof value === 'string' && (parsed.has(value) || PLAIN_DECIMAL.test(value))) || (Decimal.isDecimal(value) && value.isFinite());
}

function invalidDecimal(field: string, shown: string): DomainError {
  return new DomainError(MoneyErrorCode.InvalidDecimal, `${field} must be a plain decimal string such as "12.50" (got ${JSON.stringify(shown)})`, [
    { field, problem: 'must be a plain decimal string such as "12.50"' },
  ]);
}
