import { assertMoveEffectiveFrom, startOfMonthIn } from './reseller-moves';

describe('reseller moves', () => {
  it('finds the start of the month in the operator’s time zone', () => {
    expect(startOfMonthIn(new Date('2026-11-24T16:00:00Z'), 'UTC').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(startOfMonthIn(new Date('2026-11-24T16:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-10-31T23:00:00.000Z');
    // 1 November 00:30 in Amsterdam is still October in UTC, and November locally.
    expect(startOfMonthIn(new Date('2026-10-31T23:30:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-10-31T23:00:00.000Z');
    // Summer time: Amsterdam is UTC+2 on 1 July; New York UTC-4 on 1 April.
    expect(startOfMonthIn(new Date('2026-07-15T12:00:00Z'), 'Europe/Amsterdam').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfMonthIn(new Date('2026-04-02T03:00:00Z'), 'America/New_York').toISOString()).toBe('2026-04-01T04:00:00.000Z');
    expect(startOfMonthIn(new Date('2026-04-01T03:00:00Z'), 'America/New_York').toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(startOfMonthIn(new Date('2026-11-24T16:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-10-31T18:30:00.000Z');
  });

  it('accepts a move from the start of the current month up to now', () => {
    const now = new Date('2026-11-24T16:00:00Z');
    expect(() => assertMoveEffectiveFrom(new Date('2026-11-01T00:00:00Z'), now, 'UTC')).not.toThrow();
    expect(() => assertMoveEffectiveFrom(now, now, 'UTC')).not.toThrow();
  });

  it('never rewrites a past period and does not move in the future', () => {
    const now = new Date('2026-11-24T16:00:00Z');
    expect(() => assertMoveEffectiveFrom(new Date('2026-10-31T23:59:59Z'), now, 'UTC')).toThrow(
      expect.objectContaining({ code: 'PARTY_MOVE_IN_PAST', fields: [expect.objectContaining({ field: 'effectiveFrom' })] }),
    );
    // In Amsterdam the month began an hour earlier, so the same instant is fine there.
    expect(() => assertMoveEffectiveFrom(new Date('2026-10-31T23:30:00Z'), now, 'Europe/Amsterdam')).not.toThrow();
    expect(() => assertMoveEffectiveFrom(new Date('2026-11-24T16:00:01Z'), now, 'UTC')).toThrow(expect.objectContaining({ code: 'PARTY_MOVE_IN_FUTURE' }));
  });
});
