import { DomainError } from '../errors';
import { HostErrorCode } from './host-errors';

/** What a host offers and what a reservation takes: whole vCPUs and whole GB. */
export interface Capacity {
  vcpu: number;
  ramGb: number;
  storageGb: number;
}

export const CAPACITY_DIMENSIONS = ['vcpu', 'ramGb', 'storageGb'] as const;
export type CapacityDimension = (typeof CAPACITY_DIMENSIONS)[number];

const LABEL: Record<CapacityDimension, string> = { vcpu: 'vCPU', ramGb: 'GB RAM', storageGb: 'GB storage' };

/** The most one host may declare per dimension: far above any real host, far below int overflow. */
export const MAX_CAPACITY = 1_000_000;

export const ZERO_CAPACITY: Capacity = Object.freeze({ vcpu: 0, ramGb: 0, storageGb: 0 });

/**
 * Whole numbers from 0 to MAX_CAPACITY in every dimension; a reservation (`nonZero`) must take
 * something. Fields are named `<prefix>.<dimension>` the way the API's DTOs name them.
 */
export function assertValidCapacity(capacity: Capacity, prefix: string, options: { nonZero?: boolean } = {}): void {
  for (const dimension of CAPACITY_DIMENSIONS) {
    const value = capacity[dimension];
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_CAPACITY) {
      throw DomainError.invalid(HostErrorCode.InvalidCapacity, `${prefix}.${dimension}`, `must be a whole number from 0 to ${MAX_CAPACITY}`);
    }
  }
  if (options.nonZero && CAPACITY_DIMENSIONS.every((dimension) => capacity[dimension] === 0)) {
    throw DomainError.invalid(HostErrorCode.InvalidCapacity, prefix, 'must reserve at least one vCPU, GB of RAM or GB of storage');
  }
}

export function addCapacity(a: Capacity, b: Capacity): Capacity {
  return { vcpu: a.vcpu + b.vcpu, ramGb: a.ramGb + b.ramGb, storageGb: a.storageGb + b.storageGb };
}

export function subtractCapacity(a: Capacity, b: Capacity): Capacity {
  return { vcpu: a.vcpu - b.vcpu, ramGb: a.ramGb - b.ramGb, storageGb: a.storageGb - b.storageGb };
}

export interface Shortfall {
  dimension: CapacityDimension;
  needed: number;
  free: number;
}

/** The dimensions in which `free` does not cover `need` (empty: it fits). */
export function shortfalls(free: Capacity, need: Capacity): Shortfall[] {
  return CAPACITY_DIMENSIONS.filter((dimension) => need[dimension] > free[dimension]).map((dimension) => ({
    dimension,
    needed: need[dimension],
    free: Math.max(0, free[dimension]),
  }));
}

/** "4 vCPU needed, 2 free; 8 GB RAM needed, 0 free" */
export function describeShortfalls(items: Shortfall[]): string {
  return items.map((item) => `${item.needed} ${LABEL[item.dimension]} needed, ${item.free} free`).join('; ');
}

export interface PlacementCandidate {
  name: string;
  tags: readonly string[];
  free: Capacity;
}

/**
 * The placement order: hosts carrying every required tag, most free RAM first, then most free
 * vCPU, then most free storage, then by name. Spreading load this way keeps the emptiest host for
 * the next large request less often than first-fit would, but it is deterministic, and RAM is the
 * dimension that runs out first on virtualisation hosts. Hosts that cannot fit `need` are dropped.
 */
export function placementOrder<T extends PlacementCandidate>(hosts: readonly T[], need: Capacity, requiredTags: readonly string[] = []): T[] {
  return hosts
    .filter((host) => requiredTags.every((tag) => host.tags.includes(tag)))
    .filter((host) => shortfalls(host.free, need).length === 0)
    .sort(
      (a, b) =>
        b.free.ramGb - a.free.ramGb || b.free.vcpu - a.free.vcpu || b.free.storageGb - a.free.storageGb || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

/**
 * Why nothing could be placed, for HOST_CAPACITY_EXHAUSTED: no host with the tags at all, or what
 * ran out on the host that came closest (the fewest dimensions short, then the most free RAM).
 */
export function exhaustedMessage(hosts: readonly PlacementCandidate[], need: Capacity, requiredTags: readonly string[] = []): string {
  const tagged = hosts.filter((host) => requiredTags.every((tag) => host.tags.includes(tag)));
  const tagText = requiredTags.length ? ` tagged ${requiredTags.join(', ')}` : '';
  if (tagged.length === 0) return `no active host${tagText}`;
  const closest = [...tagged].sort((a, b) => shortfalls(a.free, need).length - shortfalls(b.free, need).length || b.free.ramGb - a.free.ramGb)[0];
  const missing = shortfalls(closest.free, need);
  if (missing.length === 0) return `no active host${tagText} has room for ${describeCapacity(need)} at the moment`;
  return `no active host${tagText} has room for ${describeCapacity(need)}: on ${closest.name}, ${describeShortfalls(missing)}`;
}

export function describeCapacity(capacity: Capacity): string {
  return CAPACITY_DIMENSIONS.map((dimension) => `${capacity[dimension]} ${LABEL[dimension]}`).join(', ');
}
