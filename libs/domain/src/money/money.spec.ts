import Decimal from 'decimal.js';
import { errorOf } from '../testing/error-of';
import { Dec, parseDecimal } from './decimal';
import { exactAdd, exactSum } from './exact';
import { Money } from './money';
import { parseRatio, ratioOfDecimals, roundRatioHalfEven } from './ratio';

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

  it('computes up to the context precision exactly and refuses one digit beyond it, in sums and products', () => {
    // A sum spanning 10^499 down to 10^-499 needs 1,000 digits (with the carry digit); one place further needs 1,001.
    const big = `1${'0'.repeat(499)}`;
    const small = `0.${'0'.repeat(498)}1`;
    expect(eur(big).add(eur(small)).amount.toFixed()).toBe(`${big}.${'0'.repeat(498)}1`);
    expect(eur(small).sub(eur(big)).amount.toFixed()).toBe(`-${'9'.repeat(499)}.${'9'.repeat(499)}`);
    expect(codeOf(() => eur(`${big}0`).add(eur(small)))).toBe('MONEY_PRECISION_EXCEEDED');
    expect(codeOf(() => eur(small).sub(eur(`${big}0`)))).toBe('MONEY_PRECISION_EXCEEDED');
    // 500 × 500 significant digits fit; 501 × 500 do not.
    const fiveHundred = `1.${'3'.repeat(499)}`;
    const coefficient = BigInt(fiveHundred.replace('.', ''));
    expect(eur(fiveHundred).mul(fiveHundred).amount.toFixed().replace('.', '')).toBe(String(coefficient * coefficient));
    expect(codeOf(() => eur(`${fiveHundred}3`).mul(fiveHundred))).toBe('MONEY_PRECISION_EXCEEDED');
  });

  it('negates as zero minus the amount: a zero stays unsigned', () => {
    expect(eur('1.25').negated().toString()).toBe('-1.25');
    expect(eur('-0.013125').negated().toString()).toBe('0.013125');
    for (const zero of [eur('0'), eur('-0'), eur('-0.001').roundToMinor()]) {
      expect(zero.negated().amount.isNegative()).toBe(false);
      expect(zero.negated().amount.toFixed()).toBe(Money.zero('EUR').sub(zero).amount.toFixed());
    }
  });

  it('parses a decimal string the same every time, and refuses a bad one every time', () => {
    expect(parseDecimal('12.50').toFixed()).toBe('12.5');
    expect(parseDecimal('12.50').toFixed()).toBe('12.5');
    for (let i = 0; i < 2; i++) expect(codeOf(() => parseDecimal('12.5e1'))).toBe('MONEY_INVALID_DECIMAL');
    const decimal = new Dec('7.25');
    expect(parseDecimal(decimal).equals(decimal)).toBe(true);
    expect(parseDecimal(new Decimal('7.25')).constructor).toBe(Dec);
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
    // From zero, as adding one by one would: a rounded -0 sums to an unsigned zero.
    expect(Money.sum([eur('-0.001').roundToMinor()], 'EUR').amount.isNegative()).toBe(false);
    expect(codeOf(() => Money.sum([eur('1'), Money.of('1', 'USD')], 'EUR'))).toBe('MONEY_CURRENCY_MISMATCH');
    expect(codeOf(() => Money.sum([], 'XYZ'))).toBe('MONEY_UNKNOWN_CURRENCY');
  });
});

describe('exactSum', () => {
  const fold = (values: Dec[]) => values.reduce((total, next) => exactAdd(total, next), new Dec('0'));

  it('is the sum adding one by one gives, digit for digit, for long and short lists', () => {
    const terms = Array.from(
      { length: 500 },
      (_, i) => new Dec(`${i % 3 === 0 ? '-' : ''}${(i * 7919) % 100_000}.${String((i * 37) % 1000).padStart(3, '0')}`),
    );
    terms.push(new Dec('0.0000000001'), new Dec('-0'), new Decimal('123456789012345678901234567890.5'));
    for (const length of [0, 1, 2, 8, 9, 50, terms.length]) {
      const some = terms.slice(0, length);
      expect(exactSum(some).toFixed()).toBe(fold(some).toFixed());
    }
  });

  it('carries across words, goes negative and cancels to an unsigned zero', () => {
    const many = (value: string, times: number) => Array.from({ length: times }, () => new Dec(value));
    expect(exactSum(many('9999999.9999999', 10)).toFixed()).toBe('99999999.999999');
    expect(exactSum([...many('-0.01', 9), new Dec('0.02')]).toFixed()).toBe('-0.07');
    const cancelled = exactSum([...many('1.5', 9), ...many('-1.5', 9)]);
    expect(cancelled.isZero() && !cancelled.isNegative()).toBe(true);
  });

  it('refuses a sum beyond the context precision, as adding one by one does', () => {
    const terms = [...Array.from({ length: 9 }, () => new Dec('1')), new Dec(`1${'0'.repeat(500)}`), new Dec(`0.${'0'.repeat(499)}1`)];
    expect(codeOf(() => exactSum(terms))).toBe('MONEY_PRECISION_EXCEEDED');
    expect(codeOf(() => fold(terms))).toBe('MONEY_PRECISION_EXCEEDED');
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

  it('turns a quotient of decimals into the fraction of their scaled coefficients', () => {
    const ratio = (n: string, d: string) => {
      const r = ratioOfDecimals(new Dec(n), new Dec(d));
      return `${r.numerator}/${r.denominator}`;
    };
    expect(ratio('12.5', '0.25')).toBe('1250/25');
    expect(ratio('1200', '1')).toBe('1200/1');
    expect(ratio('-0.0012', '1.50')).toBe('-12/15000');
    expect(ratio('12345678.1234567', '-10000000')).toBe('-123456781234567/100000000000000');
    expect(ratio('0', '3')).toBe('0/3');
  });

  it('needs integer seconds and a positive period', () => {
    expect(codeOf(() => parseRatio('1.5', '10'))).toBe('MONEY_INVALID_DECIMAL');
    expect(codeOf(() => parseRatio('1', '0'))).toBe('MONEY_INVALID_DECIMAL');
  });
});
