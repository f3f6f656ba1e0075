import fc from 'fast-check';
import { errorOf } from '../testing/error-of';
import {
  addMonthsInZone,
  billingPeriod,
  nextPeriod,
  parsePeriodId,
  periodContaining,
  periodIdsBetween,
  previousPeriod,
  shiftPeriodId,
  type BillingPeriod,
} from './period';
import { instantAtWallClock } from './time-zone';

const HOUR = 3600n;
const bounds = (p: BillingPeriod) => [p.start.toISOString(), p.end.toISOString(), p.seconds / HOUR, p.seconds % HOUR];

describe('billing periods', () => {
  it('is a calendar month in UTC by default arithmetic: 28, 29, 30 or 31 days', () => {
    expect(bounds(billingPeriod('2026-02', 'UTC'))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 672n, 0n]);
    expect(bounds(billingPeriod('2028-02', 'UTC'))).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z', 696n, 0n]);
    expect(billingPeriod('2026-10', 'UTC').seconds).toBe(2_678_400n); // 31 × 86,400
  });

  it('has 743 hours in March and 745 in October in Europe/Amsterdam', () => {
    // 1 March 00:00 CET (+01) = 28 Feb 23:00Z; 1 April 00:00 CEST (+02) = 31 March 22:00Z: 744 h − 1 h.
    expect(bounds(billingPeriod('2026-03', 'Europe/Amsterdam'))).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z', 743n, 0n]);
    // 1 Oct 00:00 CEST = 30 Sep 22:00Z; 1 Nov 00:00 CET = 31 Oct 23:00Z: 744 h + 1 h.
    expect(bounds(billingPeriod('2026-10', 'Europe/Amsterdam'))).toEqual(['2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z', 745n, 0n]);
    expect(billingPeriod('2026-10', 'Europe/Amsterdam').seconds).toBe(2_682_000n);
  });

  it('follows America/New_York, whose November changes clock on the 1st at 02:00', () => {
    expect(bounds(billingPeriod('2026-03', 'America/New_York'))).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', 743n, 0n]);
    // Midnight on 1 Nov is still EDT (−04); the clock falls back two hours later: 720 h + 1 h.
    expect(bounds(billingPeriod('2026-11', 'America/New_York'))).toEqual(['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 721n, 0n]);
  });

  it('handles offsets that are not whole hours (Asia/Kolkata +05:30, Australia/Lord_Howe with a 30-minute DST shift)', () => {
    expect(bounds(billingPeriod('2026-10', 'Asia/Kolkata'))).toEqual(['2026-09-30T18:30:00.000Z', '2026-10-31T18:30:00.000Z', 744n, 0n]);
    // Lord Howe: +11 in summer, +10:30 in winter; DST ends 5 April 2026, starts 4 October 2026.
    const april = billingPeriod('2026-04', 'Australia/Lord_Howe');
    expect(bounds(april)).toEqual(['2026-03-31T13:00:00.000Z', '2026-04-30T13:30:00.000Z', 720n, 1800n]);
    const october = billingPeriod('2026-10', 'Australia/Lord_Howe');
    expect(bounds(october)).toEqual(['2026-09-30T13:30:00.000Z', '2026-10-31T13:00:00.000Z', 743n, 1800n]);
  });

  it('starts a month whose local midnight does not exist at the end of the gap (Casablanca, 1 June 2008)', () => {
    // Morocco moved from +00 to +01 at 00:00 on 1 June 2008: the first instant of June is that change.
    const june = billingPeriod('2008-06', 'Africa/Casablanca');
    expect(june.start.toISOString()).toBe('2008-06-01T00:00:00.000Z');
    expect(previousPeriod(june).end.toISOString()).toBe('2008-06-01T00:00:00.000Z');
    expect(june.seconds).toBe(719n * HOUR);
    // Any wall-clock time inside a gap maps to the gap's end.
    expect(instantAtWallClock({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Amsterdam').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('starts a month whose local midnight happens twice at the first one (Tunis, 1 October 1978)', () => {
    // Tunisia fell back from +02 to +01 at 01:00 on 1 October 1978: 00:00 came at 22:00Z and again at 23:00Z.
    const october = billingPeriod('1978-10', 'Africa/Tunis');
    expect(october.start.toISOString()).toBe('1978-09-30T22:00:00.000Z');
    expect(periodContaining(new Date('1978-09-30T22:30:00Z'), 'Africa/Tunis').id).toBe('1978-10');
  });

  it('finds the period of an instant at its exact edges', () => {
    const tz = 'Europe/Amsterdam';
    expect(periodContaining(new Date('2026-09-30T22:00:00Z'), tz).id).toBe('2026-10');
    expect(periodContaining(new Date('2026-09-30T21:59:59.999Z'), tz).id).toBe('2026-09');
    expect(periodContaining(new Date('2026-10-31T22:59:59Z'), tz).id).toBe('2026-10');
    expect(periodContaining(new Date('2026-10-31T23:00:00Z'), tz).id).toBe('2026-11');
  });

  it('steps to the next and previous period across years', () => {
    const december = billingPeriod('2026-12', 'Asia/Kolkata');
    expect(nextPeriod(december).id).toBe('2027-01');
    expect(nextPeriod(december).start).toEqual(december.end);
    expect(previousPeriod(billingPeriod('2027-01', 'UTC')).id).toBe('2026-12');
    expect(shiftPeriodId('2026-10', 15)).toBe('2028-01');
    expect(shiftPeriodId('2026-01', -13)).toBe('2024-12');
    expect(periodIdsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });

  it('counts calendar months from an instant, clamping to shorter months, across DST', () => {
    const tz = 'Europe/Amsterdam';
    // 31 Jan 10:00 CET + 1 month = 28 Feb 10:00 CET.
    expect(addMonthsInZone(new Date('2026-01-31T09:00:00Z'), 1, tz).toISOString()).toBe('2026-02-28T09:00:00.000Z');
    // 15 Mar 12:00 CET (+01) + 1 month = 15 Apr 12:00 CEST (+02): 10:00Z, not 11:00Z.
    expect(addMonthsInZone(new Date('2026-03-15T11:00:00Z'), 1, tz).toISOString()).toBe('2026-04-15T10:00:00.000Z');
    expect(addMonthsInZone(new Date('2026-03-15T11:00:00Z'), 12, tz).toISOString()).toBe('2027-03-15T11:00:00.000Z');
  });

  it('refuses malformed periods and unknown zones, naming the field', () => {
    for (const bad of ['2026-13', '2026-00', '26-10', '2026-1', '1969-12', '2026-10-01', '']) {
      expect(errorOf(() => parsePeriodId(bad, 'period')).fields).toEqual([{ field: 'period', problem: expect.stringContaining('YYYY-MM') }]);
    }
    expect(errorOf(() => billingPeriod('2026-10', 'Mars/Olympus_Mons')).code).toBe('BILLING_INVALID_TIME_ZONE');
  });

  it('tiles time: every instant lies in exactly one period, and consecutive periods touch', () => {
    const zones = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo'];
    const from = Date.UTC(1990, 0, 1);
    const to = Date.UTC(2040, 0, 1);
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: from, max: to }), (zone, ms) => {
        const at = new Date(ms);
        const period = periodContaining(at, zone);
        expect(period.start.getTime()).toBeLessThanOrEqual(ms);
        expect(period.end.getTime()).toBeGreaterThan(ms);
        expect(nextPeriod(period).start).toEqual(period.end);
        expect(previousPeriod(period).end).toEqual(period.start);
        // Between 27 days 23 h and 31 days 1 h, whatever the zone does.
        expect(period.seconds).toBeGreaterThanOrEqual(28n * 86_400n - HOUR);
        expect(period.seconds).toBeLessThanOrEqual(31n * 86_400n + HOUR);
      }),
      { numRuns: 300 },
    );
  });
});
