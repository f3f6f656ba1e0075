import { isDomainError } from '@wholesail/domain';
import { formatAmount, formatDecimal, formatPeriod, formatRate } from './document-figures';

describe('document figures', () => {
  it.each([
    ['0', 'EUR', '0.00 EUR'],
    ['1234.5', 'EUR', '1,234.50 EUR'],
    ['-1234567.89', 'EUR', '-1,234,567.89 EUR'],
    ['-0.00', 'EUR', '0.00 EUR'],
    ['0.013125', 'EUR', '0.013125 EUR'],
    ['1500', 'JPY', '1,500 JPY'],
    ['12.5', 'BHD', '12.500 BHD'],
    ['00012.30', 'EUR', '12.30 EUR'],
    ['99999999999999999999.99', 'EUR', '99,999,999,999,999,999,999.99 EUR'],
  ])('formats %s %s as %s, exactly', (amount, currency, shown) => {
    expect(formatAmount(amount, currency)).toBe(shown);
  });

  it('never rounds: a figure finer than the minor unit keeps its digits', () => {
    expect(formatDecimal('0.1000000000000000055511151231257827', 2)).toBe('0.1000000000000000055511151231257827');
  });

  it.each([
    ['0.05', '5 %'],
    ['0.0125', '1.25 %'],
    ['1', '100 %'],
    ['0.123456789', '12.3456789 %'],
    ['0', '0 %'],
  ])('shows the rate %s as %s', (rate, shown) => {
    expect(formatRate(rate)).toBe(shown);
  });

  it('refuses what is not a plain decimal string, naming the field', () => {
    for (const bad of ['1e3', '12,50', '', ' 1', 'NaN', 12.5 as unknown as string]) {
      let error: unknown;
      try {
        formatAmount(bad, 'EUR', 'lines[3].amount');
      } catch (caught) {
        error = caught;
      }
      expect(isDomainError(error) && error.code === 'BILLING_DOCUMENT_INVALID_FIGURE' && error.fields[0]?.field === 'lines[3].amount').toBe(true);
    }
  });

  it('names periods', () => {
    expect(formatPeriod('2026-10')).toBe('October 2026');
    expect(formatPeriod('2027-01')).toBe('January 2027');
    expect(() => formatPeriod('2026-13')).toThrow('period');
  });
});
