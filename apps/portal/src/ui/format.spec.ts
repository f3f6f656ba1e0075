import { formatMoney, formatRelative, humanize } from './format';

describe('portal formatting', () => {
  it('lays out decimal strings without floats', () => {
    expect(formatMoney('1234567.5')).toBe('EUR 1,234,567.50');
    expect(formatMoney('0.125')).toBe('EUR 0.125');
    expect(formatMoney('-12', 'USD')).toBe('−USD 12.00');
    expect(formatMoney(null)).toBe('—');
  });

  it('says when, relative to now', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(formatRelative('2026-12-03T12:00:00Z', now)).toBe('in 3 days');
    expect(formatRelative('2026-11-30T10:00:00Z', now)).toBe('2 hours ago');
    expect(formatRelative('2026-11-30T12:00:20Z', now)).toBe('now');
  });

  it('turns codes into words', () => {
    expect(humanize('awaiting-operator')).toBe('Awaiting operator');
    expect(humanize('subResellers')).toBe('Sub resellers');
  });
});
