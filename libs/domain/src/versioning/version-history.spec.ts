import fc from 'fast-check';
import { errorOf } from '../testing/error-of';
import { assertNotBefore, assertNotInFuture, versionClosedBy, type DatedRow } from './version-history';

const refusal = { code: 'TEST_OVERLAP', field: 'effectiveFrom', what: 'test record' };
const at = (iso: string) => new Date(iso);
const open = (from: string): DatedRow => ({ effectiveFrom: at(from), effectiveTo: null });
const closed = (from: string, to: string): DatedRow => ({ effectiveFrom: at(from), effectiveTo: at(to) });

describe('versioned records', () => {
  it('closes the open version that started before the new one', () => {
    const rows = [closed('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'), open('2026-06-01T00:00:00Z')];
    expect(versionClosedBy(rows, { from: at('2026-11-01T00:00:00Z') }, refusal)).toBe(rows[1]);
    expect(versionClosedBy([], { from: at('2026-11-01T00:00:00Z') }, refusal)).toBeUndefined();
  });

  it('refuses a new version that would overlap one starting at or after it, with the concept’s code', () => {
    const rows = [open('2026-12-01T00:00:00Z')];
    const error = errorOf(() => versionClosedBy(rows, { from: at('2026-11-01T00:00:00Z') }, refusal));
    expect(error).toMatchObject({ code: 'TEST_OVERLAP', kind: 'conflict', fields: [expect.objectContaining({ field: 'effectiveFrom' })] });
    expect(error.fields[0].problem).toContain('overlaps another version of the test record');
    expect(() => versionClosedBy(rows, { from: at('2026-12-01T00:00:00Z') }, refusal)).toThrow(/overlaps/);
    const priced = errorOf(() => versionClosedBy(rows, { from: at('2026-11-01T00:00:00Z') }, { ...refusal, code: 'PRICING_OVERLAPPING_VERSIONS' }));
    expect(priced.code).toBe('PRICING_OVERLAPPING_VERSIONS');
  });

  it('refuses a start inside a closed range', () => {
    const rows = [closed('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'), open('2026-06-01T00:00:00Z')];
    expect(() => versionClosedBy(rows, { from: at('2026-03-01T00:00:00Z') }, refusal)).toThrow(/2026-01-01T00:00:00.000Z–2026-06-01T00:00:00.000Z/);
  });

  it('fits a bounded version into a gap, and refuses one that reaches the next version', () => {
    const rows = [closed('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'), open('2026-06-01T00:00:00Z')];
    expect(versionClosedBy(rows, { from: at('2026-03-01T00:00:00Z'), to: at('2026-06-01T00:00:00Z') }, refusal)).toBeUndefined();
    expect(() => versionClosedBy(rows, { from: at('2026-03-01T00:00:00Z'), to: at('2026-06-02T00:00:00Z') }, refusal)).toThrow(/overlaps/);
    // A bounded version that starts after the open one closes it, like an open-ended one.
    expect(versionClosedBy(rows, { from: at('2026-07-01T00:00:00Z'), to: at('2026-08-01T00:00:00Z') }, refusal)).toBe(rows[1]);
  });

  it('keeps any history built by appending gap-free and without overlaps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 1000 }), { maxLength: 20 }), (steps) => {
        const rows: DatedRow[] = [];
        let t = Date.UTC(2026, 0, 1);
        for (const step of steps) {
          t += step * 60_000;
          const from = new Date(t);
          try {
            const closing = versionClosedBy(rows, { from }, refusal);
            if (closing) closing.effectiveTo = from;
            rows.push({ effectiveFrom: from, effectiveTo: null });
          } catch {
            // refused: the history must be unchanged, which the invariant below checks
          }
        }
        for (let i = 1; i < rows.length; i++) {
          expect(rows[i - 1].effectiveTo?.getTime()).toBe(rows[i].effectiveFrom.getTime());
          expect(rows[i].effectiveFrom.getTime()).toBeGreaterThan(rows[i - 1].effectiveFrom.getTime());
        }
        expect(rows.filter((r) => r.effectiveTo == null).length).toBe(rows.length ? 1 : 0);
      }),
    );
  });

  it('never leaves two versions in force at one instant, whatever ranges are asked for', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 15 }), (asks) => {
        const rows: DatedRow[] = [];
        const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
        for (const [start, length] of asks) {
          const from = day(start);
          const to = length === null ? null : day(start + length);
          try {
            const closing = versionClosedBy(rows, { from, to }, refusal);
            if (closing) closing.effectiveTo = from;
            rows.push({ effectiveFrom: from, effectiveTo: to });
          } catch {
            // refused
          }
        }
        for (let n = 0; n < 80; n++) {
          const t = day(n).getTime();
          const inForce = rows.filter((r) => r.effectiveFrom.getTime() <= t && (r.effectiveTo == null || t < r.effectiveTo.getTime()));
          expect(inForce.length).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('refuses a start before the earliest allowed instant, saying why', () => {
    const past = { ...refusal, code: 'TEST_IN_PAST' };
    const november = { at: at('2026-11-01T00:00:00Z'), why: 'billing period 2026-10 is finalised' };
    expect(() => assertNotBefore(november.at, november, past)).not.toThrow();
    expect(() => assertNotBefore(at('2026-11-02T00:00:00Z'), november, past)).not.toThrow();
    const error = errorOf(() => assertNotBefore(at('2026-10-31T23:59:59.999Z'), november, past));
    expect(error).toMatchObject({ code: 'TEST_IN_PAST', kind: 'invalid', fields: [{ field: 'effectiveFrom' }] });
    expect(error.fields[0].problem).toBe(
      'must not be before 2026-11-01T00:00:00.000Z: billing period 2026-10 is finalised; a change to a test record may not reach back further',
    );
  });

  it('refuses a change that takes effect at once from starting later than now', () => {
    const now = at('2026-11-30T12:00:00Z');
    const future = { ...refusal, code: 'TEST_IN_FUTURE' };
    expect(() => assertNotInFuture(now, now, future)).not.toThrow();
    expect(() => assertNotInFuture(at('2026-01-01T00:00:00Z'), now, future)).not.toThrow();
    const error = errorOf(() => assertNotInFuture(at('2026-11-30T12:00:00.001Z'), now, future));
    expect(error).toMatchObject({ code: 'TEST_IN_FUTURE', kind: 'invalid', fields: [{ field: 'effectiveFrom' }] });
    expect(error.fields[0].problem).toMatch(/^must not be in the future/);
  });
});
