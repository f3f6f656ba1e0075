import { DomainError } from '../errors';
import { DECIMAL_PRECISION, DIGITS_PER_WORD, Dec } from './decimal';
import { MoneyErrorCode } from './money-errors';

/**
 * Checked exact arithmetic. decimal.js silently rounds a result to the context precision; money
 * must never be rounded except where the rounding policy says so. These helpers work out, before
 * computing, how many significant digits the exact result can need and refuse (rather than
 * round) when that could exceed the context. With `DECIMAL_PRECISION` at 1,000 this is a safety
 * net, not a limit anyone should meet.
 *
 * The operands may be decimal.js instances of any context: the operation runs in the money
 * context because a left operand of another context is re-created in it first (one of the money
 * context, the usual case, is used as it is: decimal.js values are immutable).
 *
 * These run for every amount of a month-end run, so the digit checks start from a bound that costs
 * nothing: decimal.js keeps a coefficient in base-10^7 words (`d`), so a value has at most
 * 7 × `d.length` significant digits. Only when that bound could exceed the precision is the exact
 * count (`sd()`, a scan of the digits) taken, and the refusal is decided on it, as before.
 */
/** The money context's zero (immutable, so shared). */
const ZERO = new Dec('0');

export function exactMul(a: Dec, b: Dec): Dec {
  if (a.isZero() || b.isZero()) return ZERO;
  // The product of an m-digit and an n-digit coefficient has at most m + n digits.
  if (maxDigits(a) + maxDigits(b) > DECIMAL_PRECISION && a.sd() + b.sd() > DECIMAL_PRECISION) throw precisionExceeded('multiplication');
  return inMoneyContext(a).times(b);
}

export function exactAdd(a: Dec, b: Dec): Dec {
  checkSumFits(a, b);
  return inMoneyContext(a).plus(b);
}

export function exactSub(a: Dec, b: Dec): Dec {
  checkSumFits(a, b);
  return inMoneyContext(a).minus(b);
}

/** `a` itself when it is of the money context (the operation then runs in it), else a copy in it. */
function inMoneyContext(a: Dec): Dec {
  return a.constructor === Dec ? a : new Dec(a);
}

/** An upper bound of `x.sd()` read off the length of its coefficient; Infinity for ±Infinity / NaN. */
function maxDigits(x: Dec): number {
  return x.d ? x.d.length * DIGITS_PER_WORD : Infinity;
}

/**
 * A sum spans from the highest leading digit (plus one for a carry) down to the lowest non-zero
 * digit of either operand.
 */
function checkSumFits(a: Dec, b: Dec): void {
  if (a.isZero() || b.isZero()) return;
  const highest = Math.max(a.e, b.e) + 1;
  // A lowest digit can be no lower than e − (digit bound) + 1: when even that span fits, the sum does.
  if (highest - Math.min(a.e - maxDigits(a), b.e - maxDigits(b)) <= DECIMAL_PRECISION) return;
  const lowest = Math.min(lowestDigitExponent(a), lowestDigitExponent(b));
  if (highest - lowest + 1 > DECIMAL_PRECISION) throw precisionExceeded('addition');
}

/** The power of ten of the last non-zero digit: 1200 → 2, 0.0012 → -4. */
function lowestDigitExponent(x: Dec): number {
  return x.e - x.sd() + 1;
}

function precisionExceeded(operation: string): DomainError {
  return new DomainError(
    MoneyErrorCode.PrecisionExceeded,
    `exact ${operation} would need more than ${DECIMAL_PRECISION} significant digits; refusing to round silently`,
  );
}
