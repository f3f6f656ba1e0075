import { assertResourceName, HypervisorError, HypervisorErrorCode, isHypervisorError } from '@wholesail/domain';
import type {
  HypervisorCheck,
  HypervisorDriver,
  HypervisorInventory,
  NetworkInfo,
  NetworkSpec,
  PowerState,
  VmInfo,
  VmSize,
  VmSpec,
} from '../hypervisor.driver';
import { assertLabels, assertVmSize } from '../specs';
import { parseXml, serializeXml, type XmlElement } from '../xml/xml';
import {
  bridgeNetworkXml,
  interfaceNetworks,
  readMetadata,
  sizeBytes,
  sizeKib,
  writableDisks,
  writeMetadata,
  writeNetwork,
  writeSize,
  type DomainDisk,
} from './libvirt-xml';
import { VirshSession, type VirshSessionOptions } from './virsh-session';

export interface LibvirtHostConfig extends VirshSessionOptions {
  /** Connection URI: qemu:///system, qemu+ssh://host/system, test:///default, … */
  uri: string;
  /** The host bridge that bridge-mode networks attach to (scripts/ensure-libvirt.sh makes wsbr0). */
  bridge: string;
}

const GIB = 1024 ** 3;
const STATE: Record<string, PowerState> = { running: 'on', idle: 'on', blocked: 'on', 'in shutdown': 'on', paused: 'suspended', pmsuspended: 'suspended' };

/**
 * libvirt through virsh, with libvirt's own XML documents in and out. Networks are bridge-mode
 * networks on the host's bridge; a VM is a copy of the template domain's definition (new name, no
 * UUID or MAC, first NIC on the network, our metadata) whose writable disks are cloned volumes named
 * `<vm>.<target><ext>` in the template disk's pool — the `.` cannot occur in a resource name, so a
 * VM's volumes are recognisable even when its definition is gone.
 */
export class LibvirtDriver implements HypervisorDriver {
  readonly kind = 'libvirt' as const;
  private readonly virsh: VirshSession;

  constructor(private readonly config: LibvirtHostConfig) {
    this.virsh = new VirshSession(config.uri, config);
  }

  async check(): Promise<HypervisorCheck> {
    const version = await this.virsh.run(['version']);
    const library = /Using library: (.+)/.exec(version)?.[1]?.trim();
    const hypervisor = /Running hypervisor: (.+)/.exec(version)?.[1]?.trim();
    const inventory = await this.list();
    return {
      product: [library, hypervisor].filter(Boolean).join(', ') || 'libvirt',
      vms: inventory.vms.length,
      networks: inventory.networks.length,
      checked: [`connection ${this.config.uri}`],
    };
  }

  // --- networks ---------------------------------------------------------------------------------

  async createNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    assertResourceName(spec.name, 'network');
    assertLabels(spec.labels);
    if (!(await this.networkXml(spec.name))) {
      await this.virsh
        .withXmlFile(bridgeNetworkXml(spec.name, this.config.bridge), (file) => this.virsh.run(['net-define', file]))
        .catch(ignore(HypervisorErrorCode.AlreadyExists));
    }
    const info = await this.networkInfo(spec.name);
    if (!info) throw new HypervisorError(HypervisorErrorCode.Fault, `create network ${spec.name}: it did not appear`);
    if (!info.active) await this.virsh.run(['net-start', spec.name]).catch(ignore(HypervisorErrorCode.InvalidState));
    // Comes back after a libvirtd restart, like a vSphere port group does.
    await this.virsh.run(['net-autostart', spec.name]).catch(ignore(HypervisorErrorCode.Unsupported));
    return (await this.networkInfo(spec.name)) as NetworkInfo;
  }

  async destroyNetwork(name: string): Promise<void> {
    assertResourceName(name, 'network');
    const info = await this.networkInfo(name);
    if (!info) return;
    if (info.active) await this.virsh.run(['net-destroy', name]).catch(ignore(HypervisorErrorCode.InvalidState, HypervisorErrorCode.NotFound));
    await this.virsh.run(['net-undefine', name]).catch(ignore(HypervisorErrorCode.NotFound));
  }

  // --- VMs --------------------------------------------------------------------------------------

  async createVmFromTemplate(spec: VmSpec): Promise<VmInfo> {
    assertResourceName(spec.name, 'name');
    assertVmSize(spec);
    assertLabels(spec.labels);
    if (!(await this.networkInfo(spec.network))) {
      throw new HypervisorError(HypervisorErrorCode.NotFound, `create VM ${spec.name}: no network named ${spec.network}`);
    }
    const existing = await this.domainXml(spec.name, true);
    if (existing) return this.converge(spec, existing);

    const template = await this.domainXml(spec.template, true);
    if (!template) throw new HypervisorError(HypervisorErrorCode.NotFound, `create VM ${spec.name}: no template domain named ${spec.template}`);
    if ((await this.power(spec.template)) !== 'off') {
      throw new HypervisorError(HypervisorErrorCode.InvalidState, `create VM ${spec.name}: template ${spec.template} is running; its disks cannot be copied`);
    }
    const domain = template;
    const disks = writableDisks(domain);
    if (spec.diskGb !== undefined) {
      // Refused before anything is copied.
      if (!disks[0]) throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `create VM ${spec.name}: template ${spec.template} has no disk to size`);
      assertGrows(spec.name, await this.diskCapacity(disks[0]), spec.diskGb);
    }
    domain.ensure('name').text = spec.name;
    domain.remove((element) => element.local === 'uuid');
    writeSize(domain, spec.vcpu, spec.memoryMiB);
    writeNetwork(domain, spec.network);
    writeMetadata(domain, { labels: spec.labels });
    for (const disk of disks) await this.cloneDisk(spec.name, disk);
    if (spec.diskGb !== undefined) await this.growDisk(spec.name, disks[0], spec.diskGb);
    await this.define(domain).catch(ignore(HypervisorErrorCode.AlreadyExists));
    return this.requireStatus(spec.name);
  }

  async powerOn(name: string): Promise<VmInfo> {
    assertResourceName(name, 'name');
    if ((await this.requirePower(name, 'power on')) === 'off') await this.virsh.run(['start', name]).catch(ignore(HypervisorErrorCode.InvalidState));
    return this.requireStatus(name);
  }

  async powerOff(name: string): Promise<VmInfo> {
    assertResourceName(name, 'name');
    if ((await this.requirePower(name, 'power off')) !== 'off') await this.virsh.run(['destroy', name]).catch(ignore(HypervisorErrorCode.InvalidState));
    return this.requireStatus(name);
  }

  async resize(name: string, size: VmSize): Promise<VmInfo> {
    assertResourceName(name, 'name');
    assertVmSize(size);
    const power = await this.requirePower(name, 'resize');
    if (power !== 'off') throw new HypervisorError(HypervisorErrorCode.InvalidState, `resize VM ${name}: power it off first (it is ${power})`);
    const domain = (await this.domainXml(name, true)) as XmlElement;
    const first = writableDisks(domain)[0];
    if (size.diskGb !== undefined) {
      if (!first) throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `resize VM ${name}: it has no disk`);
      await this.growDisk(name, first, size.diskGb);
    }
    writeSize(domain, size.vcpu, size.memoryMiB);
    await this.define(domain);
    return this.requireStatus(name);
  }

  async destroyVm(name: string): Promise<void> {
    assertResourceName(name, 'name');
    if (await this.domainXml(name, true)) {
      if ((await this.power(name)) !== 'off') await this.virsh.run(['destroy', name]).catch(ignore(HypervisorErrorCode.InvalidState));
      await this.virsh.run(['undefine', name]).catch(ignore(HypervisorErrorCode.NotFound));
    }
    // Also sweeps volumes a create left behind when it was interrupted before the definition.
    await this.deleteVolumesOf(name);
  }

  async status(name: string): Promise<VmInfo | undefined> {
    assertResourceName(name, 'name');
    const domain = await this.domainXml(name, false);
    return domain && this.toVmInfo(domain, await this.power(name));
  }

  async list(): Promise<HypervisorInventory> {
    const domains = (await this.virsh.run(['list', '--all', '--name']))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const vms: VmInfo[] = [];
    for (const domain of domains) {
      const xml = await this.domainXml(domain, false);
      if (xml) vms.push(await this.toVmInfo(xml, await this.power(domain)));
    }
    const networks: NetworkInfo[] = [];
    for (const network of (await this.virsh.run(['net-list', '--all', '--name']))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)) {
      const info = await this.networkInfo(network);
      if (info) networks.push(info);
    }
    return { vms: vms.sort(byName), networks: networks.sort(byName) };
  }

  async close(): Promise<void> {
    await this.virsh.close();
  }

  /** Runs a raw virsh command on this driver's connection (fixtures: pools, template volumes). */
  run(args: string[]): Promise<string> {
    return this.virsh.run(args);
  }

  /** Defines a domain from an XML document (fixtures: templates). */
  defineXml(xml: string): Promise<string> {
    return this.virsh.withXmlFile(xml, (file) => this.virsh.run(['define', file]));
  }

  // --- internals --------------------------------------------------------------------------------

  private async domainXml(name: string, inactive: boolean): Promise<XmlElement | undefined> {
    try {
      return parseXml(await this.virsh.run(inactive ? ['dumpxml', name, '--inactive'] : ['dumpxml', name]));
    } catch (error) {
      if (isHypervisorError(error, HypervisorErrorCode.NotFound)) return undefined;
      throw error;
    }
  }

  private async networkXml(name: string): Promise<XmlElement | undefined> {
    try {
      return parseXml(await this.virsh.run(['net-dumpxml', name]));
    } catch (error) {
      if (isHypervisorError(error, HypervisorErrorCode.NotFound)) return undefined;
      throw error;
    }
  }

  private async networkInfo(name: string): Promise<NetworkInfo | undefined> {
    const xml = await this.networkXml(name);
    if (!xml) return undefined;
    const info = await this.virsh.run(['net-info', name]).catch(() => '');
    return { name, id: xml.textAt('uuid') ?? name, active: /^Active:\s+yes/m.test(info) };
  }

  private async power(name: string): Promise<PowerState> {
    const state = (await this.virsh.run(['domstate', name])).trim();
    return STATE[state] ?? 'off';
  }

  private async requirePower(name: string, action: string): Promise<PowerState> {
    try {
      return await this.power(name);
    } catch (error) {
      if (isHypervisorError(error, HypervisorErrorCode.NotFound))
        throw new HypervisorError(HypervisorErrorCode.NotFound, `${action} VM ${name}: no such domain on ${this.config.uri}`);
      throw error;
    }
  }

  private async requireStatus(name: string): Promise<VmInfo> {
    const info = await this.status(name);
    if (!info) throw new HypervisorError(HypervisorErrorCode.NotFound, `VM ${name} vanished from ${this.config.uri}`);
    return info;
  }

  private define(domain: XmlElement): Promise<string> {
    return this.defineXml(serializeXml(domain));
  }

  /**
   * Copies a template disk's volume to `<vm>.<target><ext>` in the same pool (reusing it when an
   * earlier attempt already made it) and points the disk at the copy.
   */
  private async cloneDisk(vm: string, disk: DomainDisk): Promise<void> {
    const source = disk.volume ?? disk.file;
    if (!source) throw new HypervisorError(HypervisorErrorCode.Unsupported, `VM ${vm}: disk ${disk.target} is neither a volume nor a file in a storage pool`);
    const pool = disk.pool ?? (await this.virsh.run(['vol-pool', source])).trim();
    const sourceName = disk.volume ?? (await this.virsh.run(['vol-name', source])).trim();
    const extension = /(\.[a-z0-9]+)$/i.exec(sourceName)?.[1] ?? '';
    const target = `${vm}.${disk.target}${extension}`;
    const exists = await this.virsh.run(['vol-info', target, '--pool', pool]).then(
      () => true,
      (error: unknown) => {
        if (isHypervisorError(error, HypervisorErrorCode.NotFound)) return false;
        throw error;
      },
    );
    if (!exists) await this.virsh.run(['vol-clone', sourceName, target, '--pool', pool]);
    const element = disk.element.ensure('source');
    if (disk.volume) {
      element.attributes = { ...element.attributes, pool, volume: target };
    } else {
      element.attributes = { ...element.attributes, file: (await this.virsh.run(['vol-path', target, '--pool', pool])).trim() };
    }
    disk.pool = pool;
    disk.volume = target;
    disk.file = undefined;
  }

  /** Grows a disk's volume to diskGb; disks never shrink. */
  private async growDisk(vm: string, disk: DomainDisk, diskGb: number): Promise<void> {
    const capacity = await this.diskCapacity(disk);
    assertGrows(vm, capacity, diskGb);
    if (diskGb * GIB > capacity)
      await this.virsh.run(['vol-resize', (disk.volume ?? disk.file) as string, `${diskGb}G`, ...(disk.pool ? ['--pool', disk.pool] : [])]);
  }

  /** The capacity of a disk's volume in bytes (vol-dumpxml). */
  private async diskCapacity(disk: DomainDisk): Promise<number> {
    const volume = disk.volume ?? disk.file;
    if (!volume) throw new HypervisorError(HypervisorErrorCode.Unsupported, `disk ${disk.target} is not a storage volume`);
    const xml = await this.virsh.run(['vol-dumpxml', volume, ...(disk.pool ? ['--pool', disk.pool] : [])]);
    return sizeBytes(parseXml(xml).child('capacity')) ?? 0;
  }

  private async deleteVolumesOf(vm: string): Promise<void> {
    const pools = (await this.virsh.run(['pool-list', '--name']))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    for (const pool of pools) {
      const volumes = (await this.virsh.run(['vol-list', pool]).catch(() => ''))
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[0])
        .filter((volume) => volume?.startsWith(`${vm}.`));
      for (const volume of volumes) await this.virsh.run(['vol-delete', volume, '--pool', pool]).catch(ignore(HypervisorErrorCode.NotFound));
    }
  }

  /** An existing domain of the requested name came from an earlier attempt: complete it while it is off. */
  private async converge(spec: VmSpec, domain: XmlElement): Promise<VmInfo> {
    const power = await this.power(spec.name);
    const info = await this.toVmInfo(domain, power);
    if (info.template) throw new HypervisorError(HypervisorErrorCode.AlreadyExists, `create VM ${spec.name}: a template has that name`);
    const labelsDiffer = Object.entries(spec.labels ?? {}).some(([key, value]) => info.labels[key] !== value);
    const differs = info.vcpu !== spec.vcpu || info.memoryMiB !== spec.memoryMiB || !info.networks.includes(spec.network) || labelsDiffer;
    const first = writableDisks(domain)[0];
    if (power === 'off' && spec.diskGb !== undefined && first && (info.diskGb ?? 0) < spec.diskGb) await this.growDisk(spec.name, first, spec.diskGb);
    if (power === 'off' && differs) {
      writeSize(domain, spec.vcpu, spec.memoryMiB);
      writeNetwork(domain, spec.network);
      writeMetadata(domain, { labels: { ...info.labels, ...spec.labels } });
      await this.define(domain);
    }
    return this.requireStatus(spec.name);
  }

  private async toVmInfo(domain: XmlElement, power: PowerState): Promise<VmInfo> {
    const vcpu = domain.child('vcpu');
    const memory = sizeKib(domain.child('currentMemory')) ?? sizeKib(domain.child('memory')) ?? 0;
    const { template, labels } = readMetadata(domain);
    const first = writableDisks(domain)[0];
    const capacity = first && (await this.diskCapacity(first).catch(() => undefined));
    const diskGb = capacity === undefined ? undefined : Math.ceil(capacity / GIB);
    return {
      name: domain.textAt('name') ?? '',
      id: domain.textAt('uuid') ?? '',
      power,
      vcpu: Number(vcpu?.attr('current') ?? vcpu?.text ?? 0),
      memoryMiB: Math.round(memory / 1024),
      ...(diskGb !== undefined ? { diskGb } : {}),
      networks: interfaceNetworks(domain).sort(),
      template,
      labels,
    };
  }
}

/** A catch handler that swallows the given codes (an idempotent step that finds its work done). */
function ignore(...codes: HypervisorErrorCode[]): (error: unknown) => undefined {
  return (error) => {
    if (error instanceof HypervisorError && codes.includes(error.code as HypervisorErrorCode)) return undefined;
    throw error;
  };
}

function assertGrows(vm: string, capacityBytes: number, diskGb: number): void {
  if (diskGb * GIB < capacityBytes) {
    throw new HypervisorError(
      HypervisorErrorCode.InvalidRequest,
      `VM ${vm}: disks only grow (it has ${Math.ceil(capacityBytes / GIB)} GB, asked for ${diskGb})`,
    );
  }
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
