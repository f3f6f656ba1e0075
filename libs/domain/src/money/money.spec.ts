import Decimal from 'decimal.js';
import { errorOf } from '../testing/error-of';
import { Dec, parseDecimal } from './decimal';
import { Money } from './money';
import { parseRatio, roundRatioHalfEven } from './ratio';

const eur = (amount: string) => Money.of(amount, 'EUR');

const codeOf = (fn: () => unknown) => errorOf(fn).code;

describe('Money', () => {
  it('adds exactly where binary floating point cannot', () => {
    expect(eur('0.1').add(eur('0.2')).toString()).toBe('0.30');
    expect(eur('0.3').sub(eur('0.1')).sub(eur('0.2')).isZero()).toBe(true);
  });

  it('prints the currency minor digits, and every digit of an unrounded amount', () => {
    expect(eur('12.5').toString()).toBe('12.50');
    expect(Money.of('1234', 'JPY').toString()).toBe('1234');
    expect(Money.of('1.5', 'BHD').toString()).toBe('1.500');
    expect(eur('0.013125').toString()).toBe('0.013125');
    expect(eur('-0').toString()).toBe('0.00');
    expect(JSON.stringify({ price: eur('7') })).toBe('{"price":"7.00"}');
  });

  it('rounds half-even to the minor unit of each currency', () => {
    const round = (amount: string, currency: string) => Money.of(amount, currency).roundToMinor().toString();
    expect(round('0.125', 'EUR')).toBe('0.12');
    expect(round('0.135', 'EUR')).toBe('0.14');
    expect(round('0.1251', 'EUR')).toBe('0.13');
    expect(round('-0.125', 'EUR')).toBe('-0.12');
    expect(round('2.5', 'JPY')).toBe('2');
    expect(round('3.5', 'JPY')).toBe('4');
    expect(round('1.0005', 'BHD')).toBe('1.000');
    expect(round('1.0015', 'BHD')).toBe('1.002');
  });

  it('multiplies by decimal strings and decimals exactly, past 40 significant digits', () => {
    const tiny = `1.${'0'.repeat(28)}1`; // 1 + 10⁻²⁹
    const square = `1.${'0'.repeat(28)}2${'0'.repeat(28)}1`; // 1 + 2·10⁻²⁹ + 10⁻⁵⁸: 59 digits
    expect(eur(tiny).mul(tiny).amount.toFixed()).toBe(square);
    expect(eur('3').mul(new Decimal('1.15')).toString()).toBe('3.45');
  });

  it('refuses, rather than rounds, a product beyond the context precision', () => {
    const huge = `1.${'3'.repeat(600)}`;
    expect(codeOf(() => eur(huge).mul(huge))).toBe('MONEY_PRECISION_EXCEEDED');
  });

  it('rejects JS numbers at run time (and at compile time)', () => {
    // @ts-expect-error a number is not a DecimalInput
    expect(codeOf(() => Money.of(12.5, 'EUR'))).toBe('MONEY_NUMBER_NOT_ALLOWED');
    // @ts-expect-error a number is not a DecimalInput
    expect(codeOf(() => eur('1').mul(1.1))).toBe('MONEY_NUMBER_NOT_ALLOWED');
    // @ts-expect-error a number is not a DecimalInput
    expect(codeOf(() => parseDecimal(0.1, 'unitPrice'))).toBe('MONEY_NUMBER_NOT_ALLOWED');
  });

  it('rejects NaN, exponents and anything but a plain decimal string, naming the field', () => {
    for (const garbage of ['NaN', 'Infinity', '1e3', '', ' 1', '1.', '.5', '1,5', '0x10', 'abc', '+1']) {
      expect(codeOf(() => Money.of(garbage, 'EUR'))).toBe('MONEY_INVALID_DECIMAL');
    }
    expect(codeOf(() => Money.of(new Decimal(NaN), 'EUR'))).toBe('MONEY_INVALID_DECIMAL');
    expect(errorOf(() => parseDecimal('12,50', 'unitPrice')).fields).toEqual([
      { field: 'unitPrice', problem: 'must be a plain decimal string such as "12.50"' },
    ]);
  });

  it('never mixes currencies', () => {
    expect(codeOf(() => Money.of('1', 'XYZ'))).toBe('MONEY_UNKNOWN_CURRENCY');
    expect(codeOf(() => eur('1').add(Money.of('1', 'USD')))).toBe('MONEY_CURRENCY_MISMATCH');
    expect(codeOf(() => eur('1').lessThan(Money.of('1', 'USD')))).toBe('MONEY_CURRENCY_MISMATCH');
  });

  it('sums to zero when empty', () => {
    expect(Money.sum([], 'EUR').toString()).toBe('0.00');
    expect(Money.sum([eur('1.005'), eur('2')], 'EUR').toString()).toBe('3.005');
  });
});

describe('rounding a ratio', () => {
  it('rounds value × n / d once, from the exact fraction', () => {
    // 10 × 5/31 = 1.612903…; a second of a 31-day month has no finite decimal expansion.
    expect(eur('10').mulRatioRoundedToMinor(parseRatio('432000', '2678400')).toString()).toBe('1.61');
    // Exact ties go to the even digit.
    expect(eur('0.01').mulRatioRoundedToMinor(parseRatio(1n, 2n)).toString()).toBe('0.00');
    expect(eur('0.03').mulRatioRoundedToMinor(parseRatio(1n, 2n)).toString()).toBe('0.02');
    expect(eur('-0.03').mulRatioRoundedToMinor(parseRatio(1n, 2n)).toString()).toBe('-0.02');
  });

  it('is not fooled by a value a hair under a tie (dividing first at 40 digits would be)', () => {
    // 0.015 − 10⁻⁴⁵ rounds down; a 40-digit quotient would see 0.015 and round up to 0.02.
    const underTie = new Dec(`0.014${'9'.repeat(42)}`);
    expect(roundRatioHalfEven(underTie, parseRatio(3n, 3n), 2).toFixed()).toBe('0.01');
  });

  it('needs integer seconds and a positive period', () => {
    expect(codeOf(() => parseRatio('1.5', '10'))).toBe('MONEY_INVALID_DECIMAL');
    expect(codeOf(() => parseRatio('1', '0'))).toBe('MONEY_INVALID_DECIMAL');
  });
});
