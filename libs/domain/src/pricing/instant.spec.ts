import { errorOf } from '../testing/error-of';
import { instantProblem, parseInstant } from './instant';

describe('instants', () => {
  it('takes ISO 8601 instants with an offset from 1970 to 9999', () => {
    expect(parseInstant('1970-01-01T00:00:00Z', 'at').toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(parseInstant('9999-12-31T23:59:59.999Z', 'at').toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(parseInstant('2026-10-15T02:00:00+02:00', 'at').toISOString()).toBe('2026-10-15T00:00:00.000Z');
  });

  it('refuses years outside 1970–9999 (by the instant, so offsets count) with the field named', () => {
    for (const value of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '1970-01-01T00:30:00+01:00', '9999-12-31T23:00:00-05:00', new Date(-1)]) {
      expect(instantProblem(value)).toMatch(/1970.*9999/);
      expect(errorOf(() => parseInstant(value, 'asOf'))).toMatchObject({ fields: [{ field: 'asOf', problem: expect.stringMatching(/1970/) }] });
    }
  });

  it('refuses what is not an instant with an offset', () => {
    for (const value of ['2026-10-15', '2026-10-15T00:00:00', '+010000-01-01T00:00:00Z', '2026-13-01T00:00:00Z', 12, null])
      expect(instantProblem(value)).toMatch(/ISO 8601/);
  });
});
