import fc from 'fast-check';
import { versionClosedBy, type DatedRow } from './effective-dating';

const refusal = { code: 'TEST_OVERLAP', field: 'effectiveFrom', what: 'version' };
const at = (iso: string) => new Date(iso);

describe('effective-dated versions', () => {
  it('closes the open version that started before the new one', () => {
    const rows: DatedRow[] = [
      { effectiveFrom: at('2026-01-01T00:00:00Z'), effectiveTo: at('2026-06-01T00:00:00Z') },
      { effectiveFrom: at('2026-06-01T00:00:00Z'), effectiveTo: null },
    ];
    expect(versionClosedBy(rows, at('2026-11-01T00:00:00Z'), refusal)).toBe(rows[1]);
    expect(versionClosedBy([], at('2026-11-01T00:00:00Z'), refusal)).toBeUndefined();
  });

  it('refuses a new version that would overlap one starting at or after it', () => {
    const rows: DatedRow[] = [{ effectiveFrom: at('2026-12-01T00:00:00Z'), effectiveTo: null }];
    expect(() => versionClosedBy(rows, at('2026-11-01T00:00:00Z'), refusal)).toThrow(
      expect.objectContaining({ code: 'TEST_OVERLAP', kind: 'conflict', fields: [expect.objectContaining({ field: 'effectiveFrom' })] }),
    );
    expect(() => versionClosedBy(rows, at('2026-12-01T00:00:00Z'), refusal)).toThrow(/overlaps/);
  });

  it('refuses a start inside a closed range', () => {
    const rows: DatedRow[] = [
      { effectiveFrom: at('2026-01-01T00:00:00Z'), effectiveTo: at('2026-06-01T00:00:00Z') },
      { effectiveFrom: at('2026-06-01T00:00:00Z'), effectiveTo: null },
    ];
    expect(() => versionClosedBy(rows, at('2026-03-01T00:00:00Z'), refusal)).toThrow(/2026-01-01T00:00:00.000Z–2026-06-01T00:00:00.000Z/);
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
            const closing = versionClosedBy(rows, from, refusal);
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
});
