import fc from 'fast-check';
import { clientSlices } from './billing-rating.service';

/** Segments of clients c0, c1, … in order, `counts[k]` of client k. */
function segmentsOf(counts: number[]): Array<{ clientId: string; n: number }> {
  return counts.flatMap((count, k) => Array.from({ length: count }, (_, n) => ({ clientId: `c${String(k).padStart(4, '0')}`, n })));
}

describe('clientSlices', () => {
  it('cuts a page into small ends and full middles, never splitting a client', () => {
    // 100 clients of 8 segments (800), slices of 80, ends of 20: the first 20 end inside the third
    // client (24); nine of 80 (to 744); of the 56 left, all but the last 20 (36, to the end of its
    // client: 40); the last 16.
    const slices = [...clientSlices(segmentsOf(Array(100).fill(8)), 80)];
    expect(slices.map((s) => s.length)).toEqual([24, 80, 80, 80, 80, 80, 80, 80, 80, 80, 40, 16]);
  });

  it('without small ends, cuts into bits of about the size asked (the rating of a slice, a few clients at a time)', () => {
    // 30 clients of 7 segments (210), bits of 50: each ends with the client it reached (56); of the 98 left, all but
    // the last 50 (48, to the end of its client: 49), then the rest.
    const bits = [...clientSlices(segmentsOf(Array(30).fill(7)), 50, false)];
    expect(bits.map((s) => s.length)).toEqual([56, 56, 49, 49]);
    expect(bits.flat()).toEqual(segmentsOf(Array(30).fill(7)));
  });

  it('keeps every segment once, in order, each client whole, the ends no larger than they must be', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 200 }), fc.integer({ min: 1, max: 120 }), (counts, size) => {
        const segments = segmentsOf(counts);
        const slices = [...clientSlices(segments, size)];
        expect(slices.flat()).toEqual(segments);
        expect(slices.every((s) => s.length > 0)).toBe(true);
        const clientsIn = slices.map((s) => new Set(s.map((x) => x.clientId)));
        for (let i = 1; i < slices.length; i++) expect([...clientsIn[i]].some((c) => clientsIn[i - 1].has(c))).toBe(false);
        // A slice holds at most what it asked for plus the rest of the client it ended in.
        const edge = Math.max(1, Math.floor(size / 4));
        const longest = Math.max(0, ...counts);
        if (slices.length > 0) expect(slices[0].length).toBeLessThan(edge + longest);
        for (const slice of slices) expect(slice.length).toBeLessThan(size + edge + longest);
      }),
    );
  });
});
