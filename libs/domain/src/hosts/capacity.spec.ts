import fc from 'fast-check';
import { errorOf } from '../testing/error-of';
import { assertValidCapacity, type Capacity, exhaustedMessage, placementOrder, type PlacementCandidate, shortfalls } from './capacity';

const host = (name: string, free: Capacity, tags: string[] = []): PlacementCandidate => ({ name, tags, free });
const need = (vcpu: number, ramGb: number, storageGb = 0): Capacity => ({ vcpu, ramGb, storageGb });

describe('capacity and placement order', () => {
  it('accepts whole numbers and names the field of anything else', () => {
    expect(() => assertValidCapacity(need(4, 8, 100), 'capacity')).not.toThrow();
    expect(errorOf(() => assertValidCapacity(need(1.5, 8), 'capacity'))).toMatchObject({ code: 'HOST_INVALID_CAPACITY', fields: [{ field: 'capacity.vcpu' }] });
    expect(errorOf(() => assertValidCapacity(need(1, -1), 'need'))).toMatchObject({ fields: [{ field: 'need.ramGb' }] });
    expect(errorOf(() => assertValidCapacity(need(0, 0, 0), 'need', { nonZero: true }))).toMatchObject({ fields: [{ field: 'need' }] });
  });

  it('lists exactly the dimensions that fall short', () => {
    expect(shortfalls(need(4, 8, 10), need(4, 8, 10))).toEqual([]);
    expect(shortfalls(need(2, 8, 10), need(4, 16, 10))).toEqual([
      { dimension: 'vcpu', needed: 4, free: 2 },
      { dimension: 'ramGb', needed: 16, free: 8 },
    ]);
  });

  it('orders hosts by most free RAM, then vCPU, storage and name, dropping those without the tags or room', () => {
    const hosts = [
      host('b', need(8, 64, 100), ['ssd']),
      host('a', need(8, 64, 100), ['ssd']),
      host('c', need(16, 64, 100), ['ssd']),
      host('d', need(64, 512, 1000)),
      host('e', need(2, 128, 1000), ['ssd']),
      host('f', need(32, 256, 10), ['ssd']),
    ];
    expect(placementOrder(hosts, need(4, 16, 50), ['ssd']).map((h) => h.name)).toEqual(['c', 'a', 'b']);
    expect(placementOrder(hosts, need(4, 16, 50)).map((h) => h.name)).toEqual(['d', 'c', 'a', 'b']);
  });

  it('says what ran out on the closest host, or that no host carries the tags', () => {
    const hosts = [host('small', need(2, 4, 100), ['ssd']), host('big', need(8, 4, 100), ['ssd'])];
    expect(exhaustedMessage(hosts, need(4, 8), ['ssd'])).toBe(
      'no active host tagged ssd has room for 4 vCPU, 8 GB RAM, 0 GB storage: on big, 8 GB RAM needed, 4 free',
    );
    expect(exhaustedMessage(hosts, need(1, 1), ['gpu'])).toBe('no active host tagged gpu');
  });

  it('never places on a host that lacks room or a tag, and always keeps the most free RAM first (property)', () => {
    const capacity = fc.record({ vcpu: fc.nat(64), ramGb: fc.nat(512), storageGb: fc.nat(2000) });
    const tags = fc.subarray(['ssd', 'gpu', 'eu']);
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string({ minLength: 1 }), free: capacity, tags }), { maxLength: 12 }),
        capacity,
        tags,
        (hosts, wanted, required) => {
          const order = placementOrder(hosts, wanted, required);
          for (const chosen of order) {
            expect(shortfalls(chosen.free, wanted)).toEqual([]);
            expect(required.every((tag) => chosen.tags.includes(tag))).toBe(true);
          }
          for (let i = 1; i < order.length; i++) expect(order[i - 1].free.ramGb).toBeGreaterThanOrEqual(order[i].free.ramGb);
          const fitting = hosts.filter((h) => shortfalls(h.free, wanted).length === 0 && required.every((tag) => h.tags.includes(tag)));
          expect(order).toHaveLength(fitting.length);
        },
      ),
    );
  });
});
