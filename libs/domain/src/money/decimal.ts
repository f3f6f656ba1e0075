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
    const slot = raw.length <= PARSED_LENGTH ? slotOf(raw) : -1;
    if (slot >= 0 && parsedText[slot] === raw) return parsedValue[slot];
    if (!PLAIN_DECIMAL.test(raw)) throw invalidDecimal(field, raw);
    const value = new Dec(raw);
    if (slot >= 0) {
      parsedText[slot] = raw;
      parsedValue[slot] = value;
    }
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
 * so the parse of a string is kept and handed out again. A fixed table of slots picked by a hash
 * of the string, each holding the last valid string parsed into it: a string that repeats is
 * parsed once, a stream of different ones (amounts read back from the database) only overwrites
 * slots — no growth, no clearing, little cost on a miss.
 */
const PARSED_SLOTS = 1_024;
const PARSED_LENGTH = 40;
const parsedText: Array<string | undefined> = new Array<string | undefined>(PARSED_SLOTS);
const parsedValue: Dec[] = new Array<Dec>(PARSED_SLOTS);

function slotOf(text: string): number {
  let hash = text.length;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash & (PARSED_SLOTS - 1);
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
  return (typeof value === 'string' && PLAIN_DECIMAL.test(value)) || (Decimal.isDecimal(value) && value.isFinite());
}

function invalidDecimal(field: string, shown: string): DomainError {
  return new DomainError(MoneyErrorCode.InvalidDecimal, `${field} must be a plain decimal string such as "12.50" (got ${JSON.stringify(shown)})`, [
    { field, problem: 'must be a plain decimal string such as "12.50"' },
  ]);
}
