import Decimal from 'decimal.js';
import { DomainError } from '../errors';
import { CurrencyCode, minorDigits, parseCurrency } from './currency';
import { Dec, DecimalInput, parseDecimal } from './decimal';
import { exactAdd, exactMul, exactSub } from './exact';
import { MoneyErrorCode } from './money-errors';
import { Ratio, roundRatioHalfEven } from './ratio';

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
    return new Money(new Dec('0'), parseCurrency(currency));
  }

  /** The exact sum; an empty list sums to zero in `currency`. */
  static sum(amounts: readonly Money[], currency: string): Money {
    return amounts.reduce((total, next) => total.add(next), Money.zero(currency));
  }

  get minorDigits(): number {
    return minorDigits(this.currency);
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
    const value = this.amount.isZero() ? new Dec('0') : this.amount;
    return value.toFixed(Math.max(this.minorDigits, value.decimalPlaces()));
  }

  /** Money travels in JSON as a decimal string; the currency travels beside it. */
  toJSON(): string {
    return this.toString();
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new DomainError(MoneyErrorCode.CurrencyMismatch, `cannot combine ${this.currency} with ${other.currency}`, [
        { field: 'currency', problem: `must be ${this.currency}` },
      ]);
    }
  }
}
