import fc from 'fast-check';
import { cidrsOverlap, formatIpv4, readCidr, usableHosts, type Ipv4Cidr } from './ipv4';

const cidr = (text: string): Ipv4Cidr => {
  const reading = readCidr(text);
  if (!reading.ok) throw new Error(reading.problem);
  return reading.cidr;
};

describe('IPv4 CIDRs', () => {
  it('reads networks exactly, up to 255.255.255.255', () => {
    expect(cidr('10.0.1.0/24')).toEqual({ text: '10.0.1.0/24', network: 0x0a000100, prefix: 24, first: 0x0a000100, last: 0x0a0001ff });
    expect(cidr('255.255.255.255/32')).toMatchObject({ first: 4294967295, last: 4294967295 });
    expect(cidr('0.0.0.0/0')).toMatchObject({ first: 0, last: 4294967295 });
    expect(cidr(' 192.168.0.0/16 ').text).toBe('192.168.0.0/16');
  });

  it('refuses what is not a CIDR, saying what one looks like', () => {
    for (const bad of ['', '10.0.0.0', '10.0.0.256/24', '10.0.0.0/33', '10.0.0/24', '010.0.0.0/8', 'lan', '10.0.0.0/08']) {
      const reading = readCidr(bad);
      expect(reading).toMatchObject({ ok: false, problem: expect.stringContaining('10.0.1.0/24') });
    }
    expect(readCidr(undefined)).toEqual({ ok: false, problem: 'is required: an IPv4 CIDR such as 10.0.1.0/24' });
  });

  it('refuses host bits, suggesting the network meant', () => {
    expect(readCidr('10.0.1.5/24')).toEqual({ ok: false, problem: '10.0.1.5/24 has host bits set: did you mean 10.0.1.0/24?' });
    expect(readCidr('192.168.1.128/23')).toEqual({ ok: false, problem: '192.168.1.128/23 has host bits set: did you mean 192.168.0.0/23?' });
  });

  it('finds overlaps of nested, equal and adjacent ranges correctly', () => {
    expect(cidrsOverlap(cidr('10.0.0.0/16'), cidr('10.0.5.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.5.0/24'), cidr('10.0.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.5.0/24'), cidr('10.0.5.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.4.0/24'), cidr('10.0.5.0/24'))).toBe(false);
    expect(cidrsOverlap(cidr('10.0.0.0/25'), cidr('10.0.0.128/25'))).toBe(false);
    expect(cidrsOverlap(cidr('128.0.0.0/1'), cidr('255.0.0.0/8'))).toBe(true);
  });

  it('agrees with an address-by-address reference on random small ranges', () => {
    const anyCidr = fc.tuple(fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 22, max: 32 })).map(([block, prefix]) => {
      const size = 2 ** (32 - prefix);
      const base = 0x0a000000 + block * 256;
      return `${formatIpv4(base - (base % size))}/${prefix}`;
    });
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        const [x, y] = [cidr(a), cidr(b)];
        const addresses = new Set<number>();
        for (let ip = x.first; ip <= x.last; ip++) addresses.add(ip);
        let shared = false;
        for (let ip = y.first; ip <= y.last && !shared; ip++) shared = addresses.has(ip);
        expect(cidrsOverlap(x, y)).toBe(shared);
      }),
    );
  });

  it('counts the addresses VMs can use', () => {
    expect(usableHosts(cidr('10.0.0.0/24'))).toBe(253);
    expect(usableHosts(cidr('10.0.0.0/30'))).toBe(1);
    expect(usableHosts(cidr('10.0.0.0/31'))).toBe(0);
    expect(usableHosts(cidr('10.0.0.1/32'))).toBe(0);
  });
});
