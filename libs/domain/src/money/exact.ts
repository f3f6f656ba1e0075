import { DomainError } from '../errors';
import { DECIMAL_PRECISION, Dec } from './decimal';
import { MoneyErrorCode } from './money-errors';

/**
 * Checked exact arithmetic. decimal.js silently rounds a result to the context precision; money
 * must never be rounded except where the rounding policy says so. These helpers work out, before
 * computing, how many significant digits the exact result can need and refuse (rather than
 * round) when that could exceed the context. With `DECIMAL_PRECISION` at 1,000 this is a safety
 * net, not a limit anyone should meet.
 *
 * The operands may be decimal.js instances of any context: the operation runs in the money
 * context because the left operand is re-created in it first.
 */
export function exactMul(a: Dec, b: Dec): Dec {
  if (a.isZero() || b.isZero()) return new Dec('0');
  // The product of an m-digit and an n-digit coefficient has at most m + n digits.
  if (a.sd() + b.sd() > DECIMAL_PRECISION) throw precisionExceeded('multiplication');
  return new Dec(a).times(b);
}

export function exactAdd(a: Dec, b: Dec): Dec {
  checkSumFits(a, b);
  return new Dec(a).plus(b);
}

export function exactSub(a: Dec, b: Dec): Dec {
  checkSumFits(a, b);
  return new Dec(a).minus(b);
}

/**
 * A sum spans from the highest leading digit (plus one for a carry) down to the lowest non-zero
 * digit of either operand.
 */
function checkSumFits(a: Dec, b: Dec): void {
  if (a.isZero() || b.isZero()) return;
  const highest = Math.max(a.e, b.e) + 1;
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
