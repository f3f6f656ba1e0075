import fc from 'fast-check';
import { errorOf } from '../testing/error-of';
import { assertFinalisable, editableFrom } from './finalised-periods';
import { billingPeriod, periodContaining, shiftPeriodId } from './period';

const at = (iso: string) => new Date(iso);

describe('how far back a versioned write may reach (EffectiveDatePolicy’s arithmetic)', () => {
  it('reaches back to the start of the previous month while nothing is finalised', () => {
    const bound = editableFrom({ now: at('2026-11-30T12:00:00Z'), timeZone: 'UTC', latestFinalised: null, goLiveFrom: null });
    expect(bound).toMatchObject({ at: at('2026-10-01T00:00:00Z'), period: '2026-10' });
    expect(bound.why).toContain('no billing period is finalised yet');
    // January reaches back into December of the year before.
    expect(editableFrom({ now: at('2027-01-05T00:00:00Z'), timeZone: 'UTC', latestFinalised: null, goLiveFrom: null }).period).toBe('2026-12');
  });

  it('counts months in the operator’s zone, across a DST change', () => {
    // 00:30 on 1 November in Amsterdam (CET) is 31 October in UTC: the previous month there is October, from 00:00 CEST.
    expect(editableFrom({ now: at('2026-10-31T23:30:00Z'), timeZone: 'Europe/Amsterdam', latestFinalised: null, goLiveFrom: null })).toMatchObject({
      period: '2026-10',
      at: at('2026-09-30T22:00:00Z'),
    });
    // One minute before local midnight it is still October, so the previous month is September.
    expect(editableFrom({ now: at('2026-10-31T22:59:00Z'), timeZone: 'Europe/Amsterdam', latestFinalised: null, goLiveFrom: null })).toMatchObject({
      period: '2026-09',
      at: at('2026-08-31T22:00:00Z'),
    });
    // New York: 1 November starts at 00:00 EDT (04:00Z); the clock falls back at 02:00 that day.
    expect(editableFrom({ now: at('2026-12-10T12:00:00Z'), timeZone: 'America/New_York', latestFinalised: null, goLiveFrom: null }).at).toEqual(
      at('2026-11-01T04:00:00Z'),
    );
  });

  it('is the start of the period after the latest finalised one, in any zone', () => {
    const now = at('2026-11-30T12:00:00Z');
    const after = (timeZone: string, latestFinalised: string) => editableFrom({ now, timeZone, latestFinalised, goLiveFrom: null });
    expect(after('UTC', '2026-10')).toMatchObject({ period: '2026-11', at: at('2026-11-01T00:00:00Z') });
    expect(after('America/New_York', '2026-10').at).toEqual(at('2026-11-01T04:00:00Z'));
    expect(after('Europe/Amsterdam', '2026-10').at).toEqual(at('2026-10-31T23:00:00Z'));
    expect(after('Europe/Amsterdam', '2026-09').at).toEqual(at('2026-09-30T22:00:00Z'));
    expect(after('Asia/Kolkata', '2026-09').at).toEqual(at('2026-09-30T18:30:00Z'));
    expect(after('Australia/Lord_Howe', '2026-09').at).toEqual(at('2026-09-30T13:30:00Z'));
    // Finalised up to an older period: everything after it is still open.
    expect(after('UTC', '2026-06')).toMatchObject({ period: '2026-07', at: at('2026-07-01T00:00:00Z') });
    const why = after('UTC', '2026-10').why;
    expect(why).toContain('billing period 2026-10 is finalised');
    expect(why).toContain('2026-11');
  });

  it('starts at BILLING_GO_LIVE_FROM when it is set, until a later period is finalised', () => {
    const now = at('2026-11-30T12:00:00Z');
    const bound = (latestFinalised: string | null, goLiveFrom: string) => editableFrom({ now, timeZone: 'Europe/Amsterdam', latestFinalised, goLiveFrom });
    expect(bound(null, '2026-06')).toMatchObject({ period: '2026-06', at: at('2026-05-31T22:00:00Z') });
    expect(bound(null, '2026-06').why).toContain('BILLING_GO_LIVE_FROM');
    expect(bound('2026-03', '2026-06').period).toBe('2026-06');
    expect(bound('2026-05', '2026-06').period).toBe('2026-06');
    expect(bound('2026-06', '2026-06').period).toBe('2026-07');
    expect(bound('2026-09', '2026-06')).toMatchObject({ period: '2026-10', at: at('2026-09-30T22:00:00Z') });
  });

  it('never lies after now: a go-live month that has not begun only stops backdating', () => {
    const now = at('2026-11-30T12:00:00Z');
    const bound = editableFrom({ now, timeZone: 'UTC', latestFinalised: null, goLiveFrom: '2027-01' });
    expect(bound.at).toEqual(now);
    expect(bound.why).toContain('nothing may be backdated yet');
  });

  it('keeps every finalised period out of reach, and the next one open, in every zone', () => {
    const zones = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 60 * 86_400_000 }), (zone, months, later) => {
        const latestFinalised = shiftPeriodId('1995-01', months);
        const now = new Date(billingPeriod(latestFinalised, zone).end.getTime() + later);
        const bound = editableFrom({ now, timeZone: zone, latestFinalised, goLiveFrom: null });
        expect(periodContaining(new Date(bound.at.getTime() - 1), zone).id).toBe(latestFinalised);
        expect(periodContaining(bound.at, zone).id).toBe(shiftPeriodId(latestFinalised, 1));
        expect(bound.at.getTime()).toBeLessThanOrEqual(now.getTime());
      }),
      { numRuns: 300 },
    );
  });
});

describe('finalising a billing period', () => {
  it('waits until the period has ended in the operator’s zone', () => {
    // October in New York ends at 00:00 EDT on 1 November, 04:00Z.
    const early = errorOf(() => assertFinalisable('2026-10', null, at('2026-11-01T03:59:59Z'), 'America/New_York'));
    expect(early).toMatchObject({ code: 'BILLING_PERIOD_NOT_ENDED', kind: 'conflict', fields: [{ field: 'period' }] });
    expect(early.message).toContain('2026-11-01T04:00:00.000Z');
    expect(() => assertFinalisable('2026-10', null, at('2026-11-01T04:00:00Z'), 'America/New_York')).not.toThrow();
  });

  it('goes in order: the first any ended period, then each the one after the latest finalised', () => {
    const now = at('2026-11-30T12:00:00Z');
    expect(() => assertFinalisable('2026-03', null, now, 'UTC')).not.toThrow();
    expect(() => assertFinalisable('2026-09', '2026-08', now, 'UTC')).not.toThrow();
    const skipping = errorOf(() => assertFinalisable('2026-10', '2026-08', now, 'UTC'));
    expect(skipping).toMatchObject({
      code: 'BILLING_PERIOD_OUT_OF_ORDER',
      kind: 'conflict',
      fields: [{ field: 'period', problem: expect.stringContaining('2026-09') }],
    });
    expect(errorOf(() => assertFinalisable('2026-07', '2026-08', now, 'UTC')).code).toBe('BILLING_PERIOD_OUT_OF_ORDER');
    expect(() => assertFinalisable('2027-01', '2026-12', at('2027-02-01T00:00:00Z'), 'UTC')).not.toThrow();
  });
});
