import Decimal from 'decimal.js';
import { DomainError } from '../errors';
import { CurrencyCode, minorDigits, parseCurrency } from './currency';
import { coefficientDigits, Dec, DecimalInput, parseDecimal } from './decimal';
import { exactAdd, exactMul, exactSub, exactSum } from './exact';
import { MoneyErrorCode } from './money-errors';
import { Ratio, roundRatioHalfEven } from './ratio';

/** The money context's zero (decimal.js values are immutable, so one serves every Money). */
const ZERO = new Dec('0');

/** A zero printed with 0, 2 or 3 minor digits (a zero prints without sign: never "-0.00"). */
const ZERO_TEXT: Record<0 | 2 | 3, string> = { 0: ZERO.toFixed(0), 2: ZERO.toFixed(2), 3: ZERO.toFixed(3) };

/**
 * An exact amount in one currency. Immutable.
 *
 * A Money may be unrounded (a unit price such as 0.013125 EUR is carried exactly); rounding to the
 * minor unit happens only when asked, once per line (`roundToMinor`, `mulRatioRoundedToMinor`).
 * Amounts of different currencies never mix: adding EUR to USD throws.
 */
export class Money {
  private constructor(
    /** The exact amount, in the money decimal context. */
    readonly amount: Dec,
    readonly currency: CurrencyCode,
  ) {}

  /** `Money.of("12.50", "EUR")`. Rejects JS numbers, NaN and anything but a plain decimal. */
  static of(amount: DecimalInput, currency: string, field = 'amount'): Money {
    return new Money(parseDecimal(amount, field), parseCurrency(currency));
  }

  static zero(currency: string): Money {
    return new Money(ZERO, parseCurrency(currency));
  }

  /** The exact sum; an empty list sums to zero in `currency`. */
  static sum(amounts: readonly Money[], currency: string): Money {
    const code = parseCurrency(currency);
    const terms = new Array<Dec>(amounts.length);
    for (let i = 0; i < amounts.length; i++) {
      if (amounts[i].currency !== code) {
        // Fails as adding one by one does: at the first mismatch, or at a sum too long before it.
        amounts.reduce((total, next) => total.add(next), Money.zero(code));
        throw currencyMismatch(code, amounts[i].currency);
      }
      terms[i] = amounts[i].amount;
    }
    return new Money(exactSum(terms), code);
  }

  get minorDigits(): number {
    return minorDigits(this.currency);
  }

  /** 0 − this, exactly as `Money.zero(currency).sub(this)` (a zero comes out as +0, never -0). */
  negated(): Money {
    return new Money(exactSub(ZERO, this.amount), this.currency);
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(exactAdd(this.amount, other.amount), this.currency);
  }

  sub(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(exactSub(this.amount, other.amount), this.currency);
  }

  /** Exact product with a dimensionless factor (a quantity, 1.15 for a 15 % uplift). */
  mul(factor: DecimalInput, field = 'factor'): Money {
    return new Money(exactMul(this.amount, parseDecimal(factor, field)), this.currency);
  }

  /** Rounded half-even to the currency's minor unit. */
  roundToMinor(): Money {
    return new Money(this.amount.toDecimalPlaces(this.minorDigits, Decimal.ROUND_HALF_EVEN), this.currency);
  }

  /**
   * this × ratio, rounded once, half-even, to the minor unit — from the exact value, even when the
   * ratio (seconds existed / seconds in the period) has no finite decimal expansion.
   */
  mulRatioRoundedToMinor(ratio: Ratio): Money {
    return new Money(roundRatioHalfEven(this.amount, ratio, this.minorDigits), this.currency);
  }

  isRoundedToMinor(): boolean {
    return this.amount.decimalPlaces() <= this.minorDigits;
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  /** -1, 0 or 1. */
  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    return this.amount.comparedTo(other.amount) as -1 | 0 | 1;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  /**
   * The amount with at least the currency's minor digits ("12.50", "3" for JPY) and, when it is
   * an exact unrounded value, all of its digits ("0.013125") — printing never rounds.
   */
  toString(): string {
    const minor = minorDigits(this.currency);
    if (this.amount.isZero()) return ZERO_TEXT[minor];
    if (!this.amount.d) return this.amount.toFixed(); // never for money (finite by construction); as toFixed printed it
    // What toFixed(max(minor digits, decimal places)) prints, from the digits without a rounding pass.
    const { digits, scale } = coefficientDigits(this.amount);
    const sign = this.amount.isNegative() ? '-' : '';
    const whole = scale === 0 ? digits : digits.length > scale ? digits.slice(0, digits.length - scale) : '0';
    const fraction = scale === 0 ? '' : digits.length > scale ? digits.slice(digits.length - scale) : digits.padStart(scale, '0');
    const places = Math.max(minor, scale);
    return places === 0 ? sign + whole : `${sign}${whole}.${fraction.padEnd(places, '0')}`;
  }

  /** Money travels in JSON as a decimal string; the currency travels beside it. */
  toJSON(): string {
    return this.toString();
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) throw currencyMismatch(this.currency, other.currency);
  }
}

function currencyMismatch(expected: CurrencyCode, got: CurrencyCode): DomainError {
  return new DomainError(MoneyErrorCode.CurrencyMismatch, `cannot combine ${expected} with ${got}`, [{ field: 'currency', problem: `must be ${expected}` }]);
}
