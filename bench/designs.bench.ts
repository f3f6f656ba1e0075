/**
 * The designer's live check and the network map: what POST /solutions/{id}/checks computes after
 * its reads (graph reading, validation, bill of materials, quote) and what the map endpoint draws,
 * for designs of 10, 50 and 200 VMs. Beside each, a floor measured in the same run: a JSON round
 * trip of the same graph (what the HTTP layer does to every request and response anyway).
 * Run: `npm run bench:designs` (after `npm run build`). Prints figures; asserts nothing.
 */
import { renderNetworkMap } from '@wholesail/designs';
import {
  billOfMaterials,
  priceBillOfMaterials,
  readDesignGraph,
  validateDesign,
  type DesignGraph,
  type DesignOffer,
  type PricingContext,
} from '@wholesail/domain';

const offer: DesignOffer = {
  asOf: '2026-12-01T00:00:00Z',
  items: [
    { sku: 'VM-LINUX', name: 'Linux VM template', design: { role: 'vm-template', os: 'linux', maxVcpus: 32, maxRamGb: 256, maxDiskGb: 4096 } },
    { sku: 'VCPU', name: 'Virtual CPU', design: { role: 'vcpu' } },
    { sku: 'RAM-GB', name: 'Memory', design: { role: 'ram-gb' } },
    { sku: 'STORAGE-SSD-GB', name: 'SSD block storage', design: { role: 'storage-gb' } },
    { sku: 'PUBLIC-IP', name: 'Public IPv4 address', design: { role: 'public-ip' } },
  ],
  notSold: [],
};

const pricing: PricingContext = {
  catalog: {
    currency: 'EUR',
    items: offer.items.map((item) => ({ sku: item.sku, name: item.name, category: 'compute' as const, unit: 'unit' })),
    prices: [
      ['VM-LINUX', '0'],
      ['VCPU', '12'],
      ['RAM-GB', '4.5'],
      ['STORAGE-SSD-GB', '0.12'],
      ['PUBLIC-IP', '3'],
    ].map(([sku, unitPrice]) => ({ sku, unitPrice, effectiveFrom: '2026-01-01T00:00:00Z' })),
  },
  chain: { clientId: 'C1', resellerIds: ['R1', 'R2'] },
  priceBooks: [
    { resellerId: 'R1', audience: 'subResellers', defaultUpliftPercent: '10', effectiveFrom: '2026-01-01T00:00:00Z', rules: [] },
    { resellerId: 'R2', audience: 'clients', defaultUpliftPercent: '25', effectiveFrom: '2026-01-01T00:00:00Z', rules: [] },
  ],
  clientOverrides: [],
};

function design(vms: number): DesignGraph {
  const networks = Math.max(2, Math.ceil(vms / 20));
  return {
    networks: Array.from({ length: networks }, (_, i) => ({ id: `net-${i}`, name: `Network ${i}`, cidr: `10.${i}.0.0/24` })),
    vms: Array.from({ length: vms }, (_, i) => ({
      id: `vm-${i}`,
      name: `Server ${i}`,
      template: 'VM-LINUX',
      vcpus: (i % 8) + 1,
      ramGb: 4 * ((i % 4) + 1),
      diskGb: 50,
      networks: [`net-${i % networks}`, ...(i % 5 === 0 ? [`net-${(i + 1) % networks}`] : [])],
    })),
    volumes: Array.from({ length: Math.floor(vms / 3) }, (_, i) => ({ id: `vol-${i}`, sizeGb: 100, vm: `vm-${i * 3}` })),
    publicIps: Array.from({ length: Math.floor(vms / 5) }, (_, i) => ({ id: `ip-${i}`, vm: `vm-${i * 5}` })),
  };
}

function check(raw: unknown): string {
  const graph = readDesignGraph(raw).graph!;
  const problems = validateDesign(graph, offer);
  const { lines } = billOfMaterials(graph, offer);
  return `${problems.length}:${priceBillOfMaterials(pricing, { asOf: offer.asOf, lines }).monthlyTotal}`;
}

function timed(rounds: number, fn: () => unknown): number {
  fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  return Number(process.hrtime.bigint() - started) / 1e6 / rounds;
}

async function main(): Promise<void> {
  console.log(`designs: live check and network map, Node ${process.version}`);
  for (const vms of [10, 50, 200]) {
    const raw = JSON.parse(JSON.stringify(design(vms)));
    const rounds = vms <= 50 ? 200 : 40;
    const floor = timed(rounds, () => JSON.parse(JSON.stringify(raw)));
    const checkMs = timed(rounds, () => check(raw));
    await renderNetworkMap(raw, { title: 'warm-up' });
    const mapRounds = vms <= 50 ? 20 : 5;
    const started = process.hrtime.bigint();
    let bytes = 0;
    for (let i = 0; i < mapRounds; i++) bytes = (await renderNetworkMap(raw, { title: `bench ${vms}` })).length;
    const mapMs = Number(process.hrtime.bigint() - started) / 1e6 / mapRounds;
    console.log(
      `${String(vms).padStart(3)} VMs (${raw.vms.length * 4 + raw.volumes.length + raw.publicIps.length} priced lines): ` +
        `check ${checkMs.toFixed(2)} ms, map ${mapMs.toFixed(1)} ms (${Math.round(bytes / 1024)} KiB); floor (JSON round trip) ${floor.toFixed(3)} ms`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
