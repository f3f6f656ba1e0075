import type { DesignOffer } from '../design-catalog';
import type { DesignGraph } from '../design-graph';

/** The demo catalog's design items, as specs use them. */
export const OFFER: DesignOffer = {
  asOf: '2026-12-01T00:00:00Z',
  items: [
    { sku: 'VM-LINUX', name: 'Linux VM template', design: { role: 'vm-template', os: 'linux', maxVcpus: 16, maxRamGb: 128, maxDiskGb: 2048 } },
    {
      sku: 'VM-WINDOWS',
      name: 'Windows Server VM template',
      design: { role: 'vm-template', os: 'windows', maxVcpus: 16, maxRamGb: 128, maxDiskGb: 2048, licenceRequired: true },
    },
    {
      sku: 'VM-OLD',
      name: 'Old template',
      retiredAt: '2026-06-01T00:00:00Z',
      design: { role: 'vm-template', os: 'linux', maxVcpus: 4, maxRamGb: 8, maxDiskGb: 100 },
    },
    { sku: 'LIC-WIN-STD', name: 'Windows Server Standard licence', design: { role: 'os-licence', os: 'windows' } },
    { sku: 'LIC-WIN-CORE', name: 'Windows Server per-core licence', design: { role: 'os-licence', os: 'windows', per: 'vcpu' } },
    { sku: 'VCPU', name: 'Virtual CPU', design: { role: 'vcpu' } },
    { sku: 'RAM-GB', name: 'Memory', design: { role: 'ram-gb' } },
    { sku: 'STORAGE-SSD-GB', name: 'SSD block storage', design: { role: 'storage-gb' } },
    { sku: 'PUBLIC-IP', name: 'Public IPv4 address', design: { role: 'public-ip' } },
    { sku: 'BACKUP-GB', name: 'Backup storage' },
  ],
  notSold: [],
};

/** Two web servers and a database on one LAN, a data volume and a public address. */
export function sampleGraph(): DesignGraph {
  return {
    vms: [
      { id: 'web-1', name: 'Web 1', template: 'VM-LINUX', vcpus: 2, ramGb: 4, diskGb: 40, networks: ['lan'] },
      { id: 'web-2', name: 'Web 2', template: 'VM-LINUX', vcpus: 2, ramGb: 4, diskGb: 40, networks: ['lan'] },
      { id: 'db-1', name: 'Database', template: 'VM-WINDOWS', vcpus: 4, ramGb: 16, diskGb: 80, osLicence: 'LIC-WIN-STD', networks: ['lan', 'backend'] },
    ],
    networks: [
      { id: 'lan', name: 'Front LAN', cidr: '10.0.1.0/24' },
      { id: 'backend', cidr: '10.0.2.0/24' },
    ],
    volumes: [{ id: 'data', name: 'DB data', sizeGb: 500, vm: 'db-1' }],
    publicIps: [{ id: 'ip-1', vm: 'web-1' }],
  };
}
