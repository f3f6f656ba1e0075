import { escapeXml, XmlElement } from '../xml/xml';

/** Our namespace in libvirt's <metadata>: labels and the template mark. */
export const METADATA_NS = 'urn:wholesail:hypervisors:1';
const METADATA_PREFIX = 'wholesail';

const UNIT_TO_KIB: Record<string, number> = {
  b: 1 / 1024,
  bytes: 1 / 1024,
  k: 1,
  kib: 1,
  kb: 1000 / 1024,
  m: 1024,
  mib: 1024,
  mb: 1_000_000 / 1024,
  g: 1024 ** 2,
  gib: 1024 ** 2,
  gb: 1e9 / 1024,
  t: 1024 ** 3,
  tib: 1024 ** 3,
};

/** A libvirt size element (`<memory unit='KiB'>32768</memory>`) in KiB; memory defaults to KiB. */
export function sizeKib(element: XmlElement | undefined, defaultUnit = 'KiB'): number | undefined {
  if (!element) return undefined;
  const value = Number(element.text.trim());
  const factor = UNIT_TO_KIB[(element.attr('unit') ?? defaultUnit).toLowerCase()];
  return Number.isFinite(value) && factor ? value * factor : undefined;
}

/** A storage size (`<capacity unit='bytes'>1048576</capacity>`) in bytes; storage defaults to bytes. */
export function sizeBytes(element: XmlElement | undefined): number | undefined {
  const kib = sizeKib(element, 'bytes');
  return kib === undefined ? undefined : Math.round(kib * 1024);
}

export interface DomainDisk {
  element: XmlElement;
  /** vda, sda, … */
  target: string;
  pool?: string;
  volume?: string;
  file?: string;
}

/** Writable disks (not CD-ROMs, floppies or read-only images): the ones a clone copies. */
export function writableDisks(domain: XmlElement): DomainDisk[] {
  return (domain.child('devices')?.all('disk') ?? [])
    .filter((disk) => (disk.attr('device') ?? 'disk') === 'disk' && !disk.child('readonly') && !disk.child('shareable'))
    .map((disk) => {
      const source = disk.child('source');
      return {
        element: disk,
        target: disk.child('target')?.attr('dev') ?? '',
        pool: source?.attr('pool'),
        volume: source?.attr('volume'),
        file: source?.attr('file'),
      };
    });
}

/** The networks a domain's interfaces attach to (network name, or the bridge for bridge interfaces). */
export function interfaceNetworks(domain: XmlElement): string[] {
  return (domain.child('devices')?.all('interface') ?? [])
    .map((nic) => nic.child('source')?.attr('network') ?? nic.child('source')?.attr('bridge'))
    .filter((name): name is string => !!name);
}

export function readMetadata(domain: XmlElement): { template: boolean; labels: Record<string, string> } {
  const ours = domain
    .child('metadata')
    ?.elements()
    .find((element) => element.ns === METADATA_NS && element.local === 'vm');
  const labels: Record<string, string> = {};
  for (const label of ours?.all('label') ?? []) {
    const key = label.attr('key');
    if (key) labels[key] = label.text;
  }
  return { template: ours?.attr('template') === 'true', labels };
}

/** Replaces our metadata element (other applications' metadata stays). */
export function writeMetadata(domain: XmlElement, metadata: { template?: boolean; labels?: Record<string, string> }): void {
  const container = domain.ensure('metadata');
  container.remove((element) => element.ns === METADATA_NS);
  const attributes: Record<string, string> = { [`xmlns:${METADATA_PREFIX}`]: METADATA_NS };
  if (metadata.template) attributes.template = 'true';
  const scope = new Map(container.scope).set(METADATA_PREFIX, METADATA_NS);
  const ours = new XmlElement(`${METADATA_PREFIX}:vm`, attributes, [], scope);
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    ours.children.push(new XmlElement(`${METADATA_PREFIX}:label`, { key }, [{ text: value }], scope));
  }
  container.children.push(ours);
}

/** Sets vCPUs (all online) and memory (MiB, balloon at the maximum). */
export function writeSize(domain: XmlElement, vcpu: number, memoryMiB: number): void {
  const cpus = domain.ensure('vcpu');
  delete cpus.attributes.current;
  cpus.text = String(vcpu);
  for (const name of ['memory', 'currentMemory']) {
    const element = domain.ensure(name);
    element.attributes = { unit: 'MiB' };
    element.text = String(memoryMiB);
  }
  // A maxMemory (hot-plug slots) smaller than the new size would make the definition invalid.
  domain.remove((element) => element.local === 'maxMemory');
}

/** Points the first interface at a libvirt network (adding a virtio NIC when there is none). */
export function writeNetwork(domain: XmlElement, network: string): void {
  const devices = domain.ensure('devices');
  let nic = devices.child('interface');
  if (!nic) {
    nic = devices.append('interface');
    nic.append('model', { type: 'virtio' });
  }
  nic.attributes = { type: 'network' };
  nic.remove((element) => element.local === 'source' || element.local === 'mac' || element.local === 'target' || element.local === 'address');
  nic.children.unshift(new XmlElement('source', { network }, [], nic.scope));
}

/** A bridge-mode network on an existing host bridge; libvirt adds no firewall rules and runs no dnsmasq for it. */
export function bridgeNetworkXml(name: string, bridge: string): string {
  return `<network><name>${escapeXml(name)}</name><forward mode='bridge'/><bridge name='${escapeXml(bridge)}'/></network>`;
}
