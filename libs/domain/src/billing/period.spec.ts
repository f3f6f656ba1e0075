import fc from 'fast-check';
import { errorOf } from '../testing/error-of';
import { billingPeriod, nextPeriod, parsePeriodId, periodContaining, previousPeriod, shiftPeriodId, type BillingPeriod } from './period';

const HOUR = 3600n;
const bounds = (p: BillingPeriod) => [p.start.toISOString(), p.end.toISOString(), p.seconds / HOUR, p.seconds % HOUR];
const ZONES = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Africa/Casablanca', 'America/Sao_Paulo', 'Pacific/Apia'];

describe('billing periods in the operator’s time zone', () => {
  it('is a calendar month: 28, 29, 30 or 31 days in UTC', () => {
    expect(bounds(billingPeriod('2026-02', 'UTC'))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 672n, 0n]);
    expect(bounds(billingPeriod('2028-02', 'UTC'))).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z', 696n, 0n]);
    expect(bounds(billingPeriod('2026-12', 'UTC'))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 744n, 0n]);
  });

  it('has 743 hours in March and 745 in October in Europe/Amsterdam', () => {
    expect(bounds(billingPeriod('2026-03', 'Europe/Amsterdam'))).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 743n, 0n]);
    expect(bounds(billingPeriod('2026-10', 'Europe/Amsterdam'))).toEqual(['2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z', 745n, 0n]);
  });

  it('follows America/New_York, whose November changes clock on the 1st at 02:00, after midnight', () => {
    expect(bounds(billingPeriod('2026-03', 'America/New_York'))).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', 743n, 0n]);
    expect(bounds(billingPeriod('2026-11', 'America/New_York'))).toEqual(['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 721n, 0n]);
  });

  it('handles offsets that are not whole hours (Asia/Kolkata, Australia/Lord_Howe’s 30-minute shift)', () => {
    expect(bounds(billingPeriod('2026-10', 'Asia/Kolkata'))).toEqual(['2026-09-30T18:30:00.000Z', '2026-10-31T18:30:00.000Z', 744n, 0n]);
    expect(bounds(billingPeriod('2026-04', 'Australia/Lord_Howe'))).toEqual(['2026-03-31T13:00:00.000Z', '2026-04-30T13:30:00.000Z', 720n, 1800n]);
    expect(bounds(billingPeriod('2026-10', 'Australia/Lord_Howe'))).toEqual(['2026-09-30T13:30:00.000Z', '2026-10-31T13:00:00.000Z', 743n, 1800n]);
  });

  it('starts a month whose local midnight does not exist at the end of the gap (Africa/Casablanca, 1 June 2008)', () => {
    // Morocco went from +00 to +01 at local midnight on 1 June 2008: June began at 00:00Z, reading 01:00.
    expect(billingPeriod('2008-06', 'Africa/Casablanca').start.toISOString()).toBe('2008-06-01T00:00:00.000Z');
    expect(billingPeriod('2008-05', 'Africa/Casablanca').end.toISOString()).toBe('2008-06-01T00:00:00.000Z');
  });

  it('finds the period of an instant at and around the bounds, in the zone, not in UTC', () => {
    // 1 November 00:30 in Amsterdam is still October in UTC.
    expect(periodContaining(new Date('2026-10-31T23:30:00Z'), 'Europe/Amsterdam').id).toBe('2026-11');
    expect(periodContaining(new Date('2026-10-31T22:59:59.999Z'), 'Europe/Amsterdam').id).toBe('2026-10');
    expect(periodContaining(new Date('2026-10-31T23:00:00Z'), 'Europe/Amsterdam').id).toBe('2026-11');
    expect(periodContaining(new Date('2026-11-01T03:59:59Z'), 'America/New_York').id).toBe('2026-10');
    expect(periodContaining(new Date('2026-11-01T04:00:00Z'), 'America/New_York').id).toBe('2026-11');
    expect(periodContaining(new Date('2008-05-31T23:59:59Z'), 'Africa/Casablanca').id).toBe('2008-05');
  });

  it('steps between periods across years', () => {
    expect(shiftPeriodId('2026-10', 3)).toBe('2027-01');
    expect(shiftPeriodId('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriodId('2026-01', -25)).toBe('2023-12');
    expect(nextPeriod(billingPeriod('2026-12', 'UTC')).id).toBe('2027-01');
    expect(previousPeriod(billingPeriod('2026-01', 'UTC')).id).toBe('2025-12');
  });

  it('refuses what is not a month or a zone, naming the field', () => {
    for (const id of ['2026-13', '2026-1', '1969-12', '26-10', '2026-10-01'])
      expect(errorOf(() => parsePeriodId(id, 'period'))).toMatchObject({ code: 'BILLING_INVALID_PERIOD', fields: [{ field: 'period' }] });
    expect(errorOf(() => billingPeriod('2026-10', 'Mars/Base'))).toMatchObject({ code: 'BILLING_INVALID_TIME_ZONE' });
  });

  it('tiles time: each period ends where the next starts and contains every instant between', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, ms) => {
        const at = new Date(ms);
        const period = periodContaining(at, zone);
        expect(period.start.getTime()).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan(period.end.getTime());
        expect(nextPeriod(period).start.getTime()).toBe(period.end.getTime());
        expect(previousPeriod(period).end.getTime()).toBe(period.start.getTime());
        // 28 days minus an hour at least, 31 days plus an hour at most (Apia skipped a whole day in December 2011).
        expect(Number(period.seconds)).toBeGreaterThanOrEqual(27 * 86_400);
        expect(Number(period.seconds)).toBeLessThanOrEqual(31 * 86_400 + 3600);
      }),
      { numRuns: 300 },
    );
  });
});
