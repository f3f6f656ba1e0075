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

/**
 * Σ values, exactly: the value that folding `exactAdd` over them from zero gives (a zero sum is +0,
 * as the fold's is), refusing where the fold would refuse. A long sum (a month's wholesale, an
 * account's postings) is added up word by word in one pass, as decimal.js adds two values (its
 * base-10^7 words are integers a JS number holds exactly), instead of two copies and a new value
 * per term (from 9 terms: up to 8 are folded, which is quicker). When the terms' digits span too far for that to be sure to fit (never for money), or a
 * term is not finite, it folds, as it always did.
 */
export function exactSum(values: readonly Dec[]): Dec {
  // A few terms fold faster than the words are set up and the sum read back.
  if (values.length <= FOLDED_TERMS) return foldSum(values);
  let top = -Infinity;
  let bottom = Infinity;
  for (const value of values) {
    if (!value.d) return foldSum(values);
    if (value.d[0] === 0) continue;
    const lead = wordOf(value.e);
    if (lead > top) top = lead;
    if (lead - value.d.length + 1 < bottom) bottom = lead - value.d.length + 1;
  }
  if (top === -Infinity) return ZERO;
  // Any partial sum spans at most the terms' words plus the carry digits of up to 10^16 terms; within
  // the precision, the fold would neither refuse nor round, so its result is the exact sum.
  if (DIGITS_PER_WORD * (top - bottom + 1) + 18 > DECIMAL_PRECISION || values.length > WORDS_SUMMED_EXACTLY) return foldSum(values);

  // words[i] holds the coefficient of 10^(7 × (top − i)), signed, until the carries are made.
  const words = new Array<number>(top - bottom + 1).fill(0);
  for (const value of values) {
    if (value.d[0] === 0) continue;
    const offset = top - wordOf(value.e);
    for (let i = 0; i < value.d.length; i++) words[offset + i] += value.s * value.d[i];
  }
  let carry = carryWords(words);
  let sign = 1;
  if (carry < 0) {
    // Negative: the sum of the negated words (all ≤ 0 now) is the magnitude.
    for (let i = 0; i < words.length; i++) words[i] = -words[i];
    carry = carryWords(words) - carry;
    sign = -1;
  }
  const leading: number[] = [];
  while (carry > 0) {
    const rest = carry % WORD;
    leading.unshift(rest);
    carry = (carry - rest) / WORD;
  }
  const all = [...leading, ...words];
  if (all.every((word) => word === 0)) return ZERO;
  const digits = all.map((word) => String(word).padStart(DIGITS_PER_WORD, '0')).join('');
  return new Dec(`${sign < 0 ? '-' : ''}${digits}e${DIGITS_PER_WORD * bottom}`);
}

const WORD = 10 ** DIGITS_PER_WORD;
const FOLDED_TERMS = 8;
/** Terms whose words (each < 10^7) a JS number can add without losing a unit: 2^53 / 10^7 ≈ 9 × 10^8. */
const WORDS_SUMMED_EXACTLY = 100_000_000;

/** The word holding the digit of 10^exponent: ⌊exponent / 7⌋, in integers (−1 → −1, 7 → 1). */
function wordOf(exponent: number): number {
  const rest = exponent % DIGITS_PER_WORD;
  return (exponent - rest) / DIGITS_PER_WORD - (rest < 0 ? 1 : 0);
}

/** Brings each word into [0, 10^7) from the last up, carrying into the one before; the carry out of the first. */
function carryWords(words: number[]): number {
  let carry = 0;
  for (let i = words.length - 1; i >= 0; i--) {
    const total = words[i] + carry;
    let rest = total % WORD;
    if (rest < 0) rest += WORD;
    words[i] = rest;
    carry = (total - rest) / WORD;
  }
  return carry;
}

function foldSum(values: readonly Dec[]): Dec {
  let total = ZERO;
  for (const value of values) total = exactAdd(total, value);
  return total;
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
