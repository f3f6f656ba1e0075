import { errorOf } from '../testing/error-of';
import { assertActiveSince, assertActiveSinceChange } from './active-since';

const at = (iso: string) => new Date(iso);
const now = at('2026-11-30T12:00:00Z');

describe('a client’s activeSince (customer since)', () => {
  it('may reach back to 1970 (history from another platform), never into the future', () => {
    expect(() => assertActiveSince(at('1970-01-01T00:00:00Z'), now)).not.toThrow();
    expect(() => assertActiveSince(at('2025-12-01T00:00:00Z'), now)).not.toThrow();
    expect(() => assertActiveSince(now, now)).not.toThrow();
    expect(errorOf(() => assertActiveSince(at('1969-12-31T23:59:59.999Z'), now))).toMatchObject({
      code: 'PARTY_INVALID_ACTIVE_SINCE',
      kind: 'invalid',
      fields: [{ field: 'activeSince', problem: 'must not be before 1970-01-01T00:00:00.000Z' }],
    });
    const future = errorOf(() => assertActiveSince(at('2026-11-30T12:00:00.001Z'), now));
    expect(future).toMatchObject({ code: 'PARTY_INVALID_ACTIVE_SINCE', fields: [{ field: 'activeSince' }] });
    expect(future.fields[0].problem).toMatch(/^must not be in the future/);
  });

  it('changes freely while no billing period is finalised', () => {
    expect(() => assertActiveSinceChange(at('2026-11-01T00:00:00Z'), at('2001-05-01T00:00:00Z'), now, null)).not.toThrow();
    expect(() => assertActiveSinceChange(at('2001-05-01T00:00:00Z'), at('2026-11-01T00:00:00Z'), now, null)).not.toThrow();
    expect(errorOf(() => assertActiveSinceChange(at('2001-05-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), now, null)).code).toBe('PARTY_INVALID_ACTIVE_SINCE');
  });

  it('changes only when both the old and the new date lie after the last finalised period', () => {
    const until = at('2026-11-01T00:00:00Z');
    expect(() => assertActiveSinceChange(at('2026-11-01T00:00:00Z'), at('2026-11-20T00:00:00Z'), now, until)).not.toThrow();
    expect(() => assertActiveSinceChange(at('2026-11-20T00:00:00Z'), until, now, until)).not.toThrow();

    // The new date inside a finalised period: a 400 naming the field and the bound.
    const into = errorOf(() => assertActiveSinceChange(at('2026-11-20T00:00:00Z'), at('2026-10-31T23:59:59Z'), now, until));
    expect(into).toMatchObject({ code: 'PARTY_ACTIVE_SINCE_IN_FINALISED_PERIOD', kind: 'invalid', fields: [{ field: 'activeSince' }] });
    expect(into.fields[0].problem).toContain('2026-11-01T00:00:00.000Z');

    // The old date inside one: finalised cuts depend on it, whatever the new date.
    const settled = errorOf(() => assertActiveSinceChange(at('2025-12-01T00:00:00Z'), at('2026-11-20T00:00:00Z'), now, until));
    expect(settled).toMatchObject({ code: 'PARTY_ACTIVE_SINCE_SETTLED', kind: 'conflict', fields: [{ field: 'activeSince' }] });
    expect(settled.fields[0].problem).toContain('2025-12-01T00:00:00.000Z');
  });
});
