/**
 * IPv4 CIDR arithmetic, exact: an address is a 32-bit unsigned integer held in a JS number (every
 * value up to 2^32 is exact there), ranges are [first, last] inclusive. No I/O, no floats.
 */
export interface Ipv4Cidr {
  /** The canonical text, e.g. "10.0.1.0/24". */
  text: string;
  /** The network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
  first: number;
  last: number;
}

export type CidrReading = { ok: true; cidr: Ipv4Cidr } | { ok: false; problem: string };

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Reads "a.b.c.d/p"; a CIDR with host bits set is refused with the network it probably meant. */
export function readCidr(text: unknown): CidrReading {
  const example = 'an IPv4 CIDR such as 10.0.1.0/24';
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, problem: `is required: ${example}` };
  const match = CIDR.exec(text.trim());
  if (!match) return { ok: false, problem: `${JSON.stringify(text)} is not ${example}` };
  const octets = match.slice(1, 5).map((part) => (/^0\d/.test(part) ? NaN : +part));
  const prefix = +match[5];
  if (octets.some((o) => !(o >= 0 && o <= 255)) || /^0\d/.test(match[5]) || prefix > 32) {
    return { ok: false, problem: `${JSON.stringify(text)} is not ${example} (octets 0–255, prefix 0–32)` };
  }
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  const canonical = `${formatIpv4(network)}/${prefix}`;
  if (network !== address) return { ok: false, problem: `${text.trim()} has host bits set: did you mean ${canonical}?` };
  return { ok: true, cidr: { text: canonical, network, prefix, first: network, last: network + size - 1 } };
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

/** Two ranges share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Addresses a network can give to VMs: all but the network address, the broadcast address and
 * the gateway (so a /30 has 1, a /29 has 5); /31 and /32 have none.
 */
export function usableHosts(cidr: Ipv4Cidr): number {
  return Math.max(0, cidr.last - cidr.first + 1 - 3);
}
