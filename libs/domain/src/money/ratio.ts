import { DomainError } from '../errors';
import { coefficientDigits, Dec } from './decimal';
import { MoneyErrorCode } from './money-errors';

/**
 * An exact fraction of two integers, such as the share of a billing period a resource existed:
 * seconds existed / seconds in the period. It is kept as a fraction because most such shares
 * (e.g. 1/2678400 for a second of a 31-day month) have no finite decimal expansion, so dividing
 * first would round before the one rounding the policy allows.
 */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const WHOLE: Ratio = { numerator: 1n, denominator: 1n };

/** Accepts bigints or strings of digits (JSON payloads carry integers as strings). */
export function parseRatio(numerator: bigint | string, denominator: bigint | string, field = 'ratio'): Ratio {
  const n = parseInteger(numerator, `${field}.numerator`);
  const d = parseInteger(denominator, `${field}.denominator`);
  if (d <= 0n) throw DomainError.invalid(MoneyErrorCode.InvalidDecimal, `${field}.denominator`, 'must be a positive integer');
  return { numerator: n, denominator: d };
}

function parseInteger(value: bigint | string, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw DomainError.invalid(MoneyErrorCode.InvalidDecimal, field, 'must be an integer as a bigint or a string of digits');
}

/**
 * value × ratio, rounded once, half-even, to `decimals` places — computed exactly in integers, so
 * even a ratio with no finite decimal expansion is rounded from its true value.
 */
export function roundRatioHalfEven(value: Dec, ratio: Ratio, decimals: number): Dec {
  const { digits, scale } = toScaledInteger(value);
  // value × 10^decimals × n / d, as an integer fraction num / den.
  const shift = decimals - scale;
  let num = digits * ratio.numerator;
  let den = ratio.denominator;
  if (shift >= 0) num *= powerOfTen(shift);
  else den *= powerOfTen(-shift);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const rounded = divideHalfEven(num, den);
  return new Dec(`${rounded}e-${decimals}`);
}

/** The exact coefficient and scale of a decimal: -12.345 → { digits: -12345n, scale: 3 }, 1200 → { 1200n, 0 }. */
function toScaledInteger(value: Dec): { digits: bigint; scale: number } {
  if (!value.d) {
    // ±Infinity or NaN: fails as it always has (BigInt of the printed value).
    const [whole, fraction = ''] = value.toFixed().split('.');
    return { digits: BigInt(whole + fraction), scale: fraction.length };
  }
  const { digits, scale } = coefficientDigits(value);
  const magnitude = BigInt(digits);
  return { digits: value.s < 0 ? -magnitude : magnitude, scale };
}

/** 10^0 … 10^40, the shifts of every line (a price's scale against a currency's minor digits). */
const POWERS_OF_TEN = Array.from({ length: 41 }, (_, n) => 10n ** BigInt(n));

/** 10^n for n ≥ 0. */
function powerOfTen(n: number): bigint {
  return n < POWERS_OF_TEN.length ? POWERS_OF_TEN[n] : 10n ** BigInt(n);
}

/** num / den rounded half-even to an integer; den > 0. Symmetric around zero. */
function divideHalfEven(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let quotient = abs / den;
  const twiceRemainder = (abs % den) * 2n;
  if (twiceRemainder > den || (twiceRemainder === den && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * The exact fraction numerator / denominator of two decimals, as integers (both scaled by the
 * same power of ten): 12.5 / 0.25 → 1250 / 25. For rates that are a quotient of two amounts,
 * such as a blended tier rate, so the one rounding happens from the exact value.
 */
export function ratioOfDecimals(numerator: Dec, denominator: Dec, field = 'ratio'): Ratio {
  if (denominator.isZero()) throw DomainError.invalid(MoneyErrorCode.InvalidDecimal, `${field}.denominator`, 'must not be zero');
  const n = toScaledInteger(numerator);
  const d = toScaledInteger(denominator);
  const scale = Math.max(n.scale, d.scale);
  const num = n.digits * powerOfTen(scale - n.scale);
  const den = d.digits * powerOfTen(scale - d.scale);
  return den < 0n ? { numerator: -num, denominator: -den } : { numerator: num, denominator: den };
}
