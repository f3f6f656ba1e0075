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
import type { XmlElement } from '../xml/xml';
import { VimClient, type ObjectContent, type VimClientOptions } from './vim-client';
import { diskCapacityKb, echoElement, isDisk, isNic, readDevices, type VimDevice } from './vim-device';
import { field, moRef, readMoRef, refKey, struct, typedString, type Fragment, type MoRef } from './vim-xml';

export interface VsphereHostConfig extends VimClientOptions {
  /** Inventory path of the datacenter, e.g. "DC0". */
  datacenter: string;
  /** Cluster (or standalone host's compute resource) in the datacenter's host folder: its root resource pool runs the VMs. */
  cluster: string;
  /** Datastore for the VMs' disks. */
  datastore: string;
  /** The distributed virtual switch on which createNetwork adds port groups, e.g. "DVS0". */
  network: string;
}

/** Where VMs go, resolved once per driver from the host record's names. */
interface Placement {
  datacenter: MoRef;
  vmFolder: MoRef;
  networkFolder: MoRef;
  pool: MoRef;
  datastore: MoRef;
  cluster: MoRef;
}

/** Labels live in the VM's extraConfig under this prefix. */
const LABEL_PREFIX = 'wholesail.label.';
const VM_PATHS = [
  'name',
  'config.template',
  'config.hardware.numCPU',
  'config.hardware.memoryMB',
  'config.hardware.device',
  'config.extraConfig',
  'runtime.powerState',
  'network',
];
const POWER: Record<string, PowerState> = { poweredOn: 'on', poweredOff: 'off', suspended: 'suspended' };
const KB_PER_GB = 1024 * 1024;
/** Port groups grow as VMs attach (autoExpand); this is only the initial size. */
const INITIAL_PORTS = 8;

/**
 * vSphere through the vim25 SOAP API (VimClient): VMs are cloned from templates into the
 * datacenter's VM folder and the cluster's root resource pool, networks are port groups on the
 * host's distributed switch. Names are looked up by inventory path before anything is created.
 */
export class VsphereDriver implements HypervisorDriver {
  readonly kind = 'vsphere' as const;
  private readonly client: VimClient;
  private placement?: Promise<Placement>;

  constructor(private readonly config: VsphereHostConfig) {
    this.client = new VimClient(config);
  }

  async check(): Promise<HypervisorCheck> {
    await this.client.login();
    await this.where();
    const dvs = await this.distributedSwitch();
    const inventory = await this.list();
    return {
      product: this.client.serviceContent.fullName,
      vms: inventory.vms.length,
      networks: inventory.networks.length,
      checked: [
        `datacenter ${this.config.datacenter}`,
        `cluster ${this.config.cluster}`,
        `datastore ${this.config.datastore}`,
        `distributed switch ${dvs.name}`,
      ],
    };
  }

  // --- networks ---------------------------------------------------------------------------------

  async createNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    assertResourceName(spec.name, 'network');
    assertLabels(spec.labels);
    const existing = await this.findNetwork(spec.name);
    if (existing) return existing;
    const dvs = await this.distributedSwitch();
    const description = Object.entries(spec.labels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    try {
      await this.client.runTask(
        'AddDVPortgroup_Task',
        dvs.ref,
        [
          struct('spec', [
            field('name', spec.name),
            field('numPorts', INITIAL_PORTS),
            field('description', description ? `wholesail: ${description}` : 'wholesail'),
            field('type', 'earlyBinding'),
            field('autoExpand', true),
          ]),
        ],
        `create network ${spec.name}`,
      );
    } catch (error) {
      // Created concurrently by another attempt: what is there now is the answer.
      if (!isHypervisorError(error, HypervisorErrorCode.AlreadyExists)) throw error;
    }
    const created = await this.findNetwork(spec.name);
    if (!created) throw new HypervisorError(HypervisorErrorCode.Fault, `create network ${spec.name}: the port group did not appear`);
    return created;
  }

  async destroyNetwork(name: string): Promise<void> {
    assertResourceName(name, 'network');
    const ref = await this.networkRef(name);
    if (!ref) return;
    if (ref.type !== 'DistributedVirtualPortgroup') {
      throw new HypervisorError(HypervisorErrorCode.Unsupported, `destroy network ${name}: it is a ${ref.type}, not a port group Wholesail creates`);
    }
    try {
      await this.client.runTask('Destroy_Task', ref, [], `destroy network ${name}`);
    } catch (error) {
      if (!isHypervisorError(error, HypervisorErrorCode.NotFound)) throw error;
    }
  }

  // --- VMs --------------------------------------------------------------------------------------

  async createVmFromTemplate(spec: VmSpec): Promise<VmInfo> {
    assertResourceName(spec.name, 'name');
    assertVmSize(spec);
    assertLabels(spec.labels);
    const existing = await this.vmRef(spec.name);
    if (existing) return this.converge(existing, spec);

    const where = await this.where();
    const templateRef = await this.client.findByInventoryPath(`${this.config.datacenter}/vm/${spec.template}`);
    const template = templateRef && (await this.client.retrieveOne(templateRef, ['config.template', 'config.hardware.device']));
    if (!template || template.props.get('config.template')?.text !== 'true') {
      throw new HypervisorError(HypervisorErrorCode.NotFound, `create VM ${spec.name}: no template named ${spec.template} in ${this.config.datacenter}`);
    }
    const backing = await this.nicBacking(spec.network);
    const devices = readDevices(template.props.get('config.hardware.device'));
    const nicChange = this.nicChange(devices, backing);
    const diskChange = spec.diskGb === undefined ? [] : this.diskGrowth(devices, spec.diskGb, spec.name);
    try {
      await this.client.runTask(
        'CloneVM_Task',
        template.obj,
        [
          moRef('folder', where.vmFolder),
          field('name', spec.name),
          struct('spec', [
            struct('location', [moRef('datastore', where.datastore), moRef('pool', where.pool)]),
            field('template', false),
            struct('config', [field('numCPUs', spec.vcpu), field('memoryMB', spec.memoryMiB), ...nicChange, ...diskChange, ...extraConfig(spec.labels)]),
            field('powerOn', false),
          ]),
        ],
        `create VM ${spec.name}`,
      );
    } catch (error) {
      if (!isHypervisorError(error, HypervisorErrorCode.AlreadyExists)) throw error;
    }
    const created = await this.vmRef(spec.name);
    if (!created) throw new HypervisorError(HypervisorErrorCode.Fault, `create VM ${spec.name}: the clone did not appear`);
    return this.converge(created, spec);
  }

  async powerOn(name: string): Promise<VmInfo> {
    return this.power(name, 'on', 'PowerOnVM_Task');
  }

  async powerOff(name: string): Promise<VmInfo> {
    return this.power(name, 'off', 'PowerOffVM_Task');
  }

  async resize(name: string, size: VmSize): Promise<VmInfo> {
    assertResourceName(name, 'name');
    assertVmSize(size);
    const vm = await this.requireVm(name, 'resize');
    const info = this.toVmInfo(vm, new Map());
    if (info.power !== 'off') throw new HypervisorError(HypervisorErrorCode.InvalidState, `resize VM ${name}: power it off first (it is ${info.power})`);
    const devices = readDevices(vm.props.get('config.hardware.device'));
    const diskChange = size.diskGb === undefined ? [] : this.diskGrowth(devices, size.diskGb, name);
    await this.client.runTask(
      'ReconfigVM_Task',
      vm.obj,
      [struct('spec', [field('numCPUs', size.vcpu), field('memoryMB', size.memoryMiB), ...diskChange])],
      `resize VM ${name}`,
    );
    return this.requireStatus(name);
  }

  async destroyVm(name: string): Promise<void> {
    assertResourceName(name, 'name');
    const ref = await this.vmRef(name);
    if (!ref) return;
    const state = (await this.client.retrieveOne(ref, ['runtime.powerState']))?.props.get('runtime.powerState')?.text;
    if (state && state !== 'poweredOff') await this.power(name, 'off', 'PowerOffVM_Task');
    try {
      await this.client.runTask('Destroy_Task', ref, [], `destroy VM ${name}`);
    } catch (error) {
      if (!isHypervisorError(error, HypervisorErrorCode.NotFound)) throw error;
    }
  }

  async status(name: string): Promise<VmInfo | undefined> {
    assertResourceName(name, 'name');
    const ref = await this.vmRef(name);
    const vm = ref && (await this.client.retrieveOne(ref, VM_PATHS));
    if (!vm) return undefined;
    return this.toVmInfo(vm, await this.networkNames(refsIn(vm.props.get('network'))));
  }

  async list(): Promise<HypervisorInventory> {
    const where = await this.where();
    const [vms, networks] = await Promise.all([
      this.client.retrieveContained(where.vmFolder, 'VirtualMachine', VM_PATHS),
      this.client.retrieveContained(where.networkFolder, 'Network', ['name']),
    ]);
    const names = new Map(networks.map((network) => [refKey(network.obj), network.props.get('name')?.text ?? network.obj.value]));
    return {
      vms: vms.map((vm) => this.toVmInfo(vm, names)).sort(byName),
      networks: networks
        .filter((network) => network.obj.type === 'DistributedVirtualPortgroup' || network.obj.type === 'Network')
        .map((network) => ({ name: names.get(refKey(network.obj)) as string, id: network.obj.value, active: true }))
        .sort(byName),
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * A template for fixtures and the demo (vcsim starts with none): CreateVM_Task with a disk and,
   * when `network` is given, a NIC on that existing network, then MarkAsTemplate. Idempotent.
   */
  async ensureTemplate(spec: { name: string; vcpu: number; memoryMiB: number; diskGb: number; network?: string }): Promise<VmInfo> {
    assertResourceName(spec.name, 'template');
    assertVmSize(spec);
    const where = await this.where();
    let ref = await this.vmRef(spec.name);
    if (!ref) {
      const nic = spec.network
        ? [
            struct(
              'deviceChange',
              [
                field('operation', 'add'),
                struct('device', [field('key', -203), await this.nicBacking(spec.network), field('addressType', 'generated')], 'VirtualVmxnet3'),
              ],
              'VirtualDeviceConfigSpec',
            ),
          ]
        : [];
      await this.client.runTask(
        'CreateVM_Task',
        where.vmFolder,
        [
          struct('config', [
            field('name', spec.name),
            field('guestId', 'otherGuest64'),
            struct('files', [field('vmPathName', `[${this.config.datastore}]`)]),
            field('numCPUs', spec.vcpu),
            field('memoryMB', spec.memoryMiB),
            struct(
              'deviceChange',
              [
                field('operation', 'add'),
                struct(
                  'device',
                  [field('key', -201), field('busNumber', 0), field('device', -202), field('sharedBus', 'noSharing'), field('scsiCtlrUnitNumber', 7)],
                  'VirtualLsiLogicController',
                ),
              ],
              'VirtualDeviceConfigSpec',
            ),
            struct(
              'deviceChange',
              [
                field('operation', 'add'),
                field('fileOperation', 'create'),
                struct(
                  'device',
                  [
                    field('key', -202),
                    struct(
                      'backing',
                      [field('fileName', ''), field('diskMode', 'persistent'), field('thinProvisioned', true)],
                      'VirtualDiskFlatVer2BackingInfo',
                    ),
                    field('controllerKey', -201),
                    field('unitNumber', 0),
                    field('capacityInKB', spec.diskGb * KB_PER_GB),
                  ],
                  'VirtualDisk',
                ),
              ],
              'VirtualDeviceConfigSpec',
            ),
            ...nic,
          ]),
          moRef('pool', where.pool),
        ],
        `create template ${spec.name}`,
      );
      ref = await this.vmRef(spec.name);
      if (!ref) throw new HypervisorError(HypervisorErrorCode.Fault, `create template ${spec.name}: the VM did not appear`);
    }
    const current = await this.client.retrieveOne(ref, ['config.template']);
    if (current?.props.get('config.template')?.text !== 'true') await this.client.invoke('MarkAsTemplate', ref);
    return this.requireStatus(spec.name);
  }

  // --- internals --------------------------------------------------------------------------------

  private where(): Promise<Placement> {
    this.placement ??= this.resolvePlacement().catch((error: unknown) => {
      this.placement = undefined; // a later call tries again (the inventory may be fixed meanwhile)
      throw error;
    });
    return this.placement;
  }

  private async resolvePlacement(): Promise<Placement> {
    const { datacenter: dcName, cluster: clusterName, datastore: dsName } = this.config;
    const datacenter = await this.client.findByInventoryPath(dcName);
    if (!datacenter || datacenter.type !== 'Datacenter') throw notFound(`datacenter ${dcName}`);
    const dc = await this.client.retrieveOne(datacenter, ['vmFolder', 'networkFolder']);
    const vmFolder = readMoRef(dc?.props.get('vmFolder'));
    const networkFolder = readMoRef(dc?.props.get('networkFolder'));
    if (!vmFolder || !networkFolder) throw notFound(`the folders of datacenter ${dcName}`);
    const cluster = await this.client.findByInventoryPath(`${dcName}/host/${clusterName}`);
    const pool = cluster && readMoRef((await this.client.retrieveOne(cluster, ['resourcePool']))?.props.get('resourcePool'));
    if (!cluster || !pool) throw notFound(`cluster ${clusterName} in ${dcName}`);
    const datastore = await this.client.findByInventoryPath(`${dcName}/datastore/${dsName}`);
    if (!datastore || datastore.type !== 'Datastore') throw notFound(`datastore ${dsName} in ${dcName}`);
    return { datacenter, vmFolder, networkFolder, pool, datastore, cluster };
  }

  private async distributedSwitch(): Promise<{ ref: MoRef; uuid: string; name: string }> {
    const name = this.config.network;
    const ref = await this.client.findByInventoryPath(`${this.config.datacenter}/network/${name}`);
    if (!ref || !/DistributedVirtualSwitch$/.test(ref.type)) throw notFound(`distributed switch ${name} in ${this.config.datacenter}`);
    const uuid = (await this.client.retrieveOne(ref, ['uuid']))?.props.get('uuid')?.text;
    if (!uuid) throw notFound(`distributed switch ${name} in ${this.config.datacenter}`);
    return { ref, uuid, name };
  }

  private vmRef(name: string): Promise<MoRef | undefined> {
    return this.client.findByInventoryPath(`${this.config.datacenter}/vm/${name}`).then((ref) => (ref?.type === 'VirtualMachine' ? ref : undefined));
  }

  private networkRef(name: string): Promise<MoRef | undefined> {
    return this.client
      .findByInventoryPath(`${this.config.datacenter}/network/${name}`)
      .then((ref) => (ref && /Network$|Portgroup$/.test(ref.type) ? ref : undefined));
  }

  private async findNetwork(name: string): Promise<NetworkInfo | undefined> {
    const ref = await this.networkRef(name);
    return ref && { name, id: ref.value, active: true };
  }

  private async requireVm(name: string, action: string): Promise<ObjectContent> {
    const ref = await this.vmRef(name);
    const vm = ref && (await this.client.retrieveOne(ref, VM_PATHS));
    if (!vm) throw new HypervisorError(HypervisorErrorCode.NotFound, `${action} VM ${name}: no such VM in ${this.config.datacenter}`);
    return vm;
  }

  private async requireStatus(name: string): Promise<VmInfo> {
    const info = await this.status(name);
    if (!info) throw new HypervisorError(HypervisorErrorCode.NotFound, `VM ${name} vanished`);
    return info;
  }

  private async power(name: string, want: 'on' | 'off', method: string): Promise<VmInfo> {
    assertResourceName(name, 'name');
    const vm = await this.requireVm(name, `power ${want}`);
    if (vm.props.get('config.template')?.text === 'true')
      throw new HypervisorError(HypervisorErrorCode.InvalidState, `power ${want} ${name}: it is a template`);
    if (POWER[vm.props.get('runtime.powerState')?.text ?? ''] !== want) {
      try {
        await this.client.runTask(method, vm.obj, [], `power ${want} VM ${name}`);
      } catch (error) {
        // Someone else switched it meanwhile: fine when it is now where we want it.
        if (!isHypervisorError(error, HypervisorErrorCode.InvalidState) || (await this.requireStatus(name)).power !== want) throw error;
      }
    }
    return this.requireStatus(name);
  }

  /**
   * An existing VM of the requested name is the result of an earlier attempt: bring what can be
   * changed offline (size, network, labels) to the spec while it is still powered off, so a create
   * interrupted between the clone and its completion converges on retry.
   */
  private async converge(ref: MoRef, spec: VmSpec): Promise<VmInfo> {
    const vm = await this.client.retrieveOne(ref, VM_PATHS);
    if (!vm) throw new HypervisorError(HypervisorErrorCode.NotFound, `create VM ${spec.name}: it vanished`);
    if (vm.props.get('config.template')?.text === 'true') {
      throw new HypervisorError(HypervisorErrorCode.AlreadyExists, `create VM ${spec.name}: a template has that name`);
    }
    const info = this.toVmInfo(vm, await this.networkNames(refsIn(vm.props.get('network'))));
    const labelsDiffer = Object.entries(spec.labels ?? {}).some(([key, value]) => info.labels[key] !== value);
    const sizeDiffers = info.vcpu !== spec.vcpu || info.memoryMiB !== spec.memoryMiB || (spec.diskGb !== undefined && (info.diskGb ?? 0) < spec.diskGb);
    const networkDiffers = !info.networks.includes(spec.network);
    if (info.power !== 'off' || (!labelsDiffer && !sizeDiffers && !networkDiffers)) return info;
    const devices = readDevices(vm.props.get('config.hardware.device'));
    const changes = [
      field('numCPUs', spec.vcpu),
      field('memoryMB', spec.memoryMiB),
      ...(networkDiffers ? this.nicChange(devices, await this.nicBacking(spec.network)) : []),
      ...(spec.diskGb !== undefined && (info.diskGb ?? 0) < spec.diskGb ? this.diskGrowth(devices, spec.diskGb, spec.name) : []),
      ...extraConfig(spec.labels),
    ];
    await this.client.runTask('ReconfigVM_Task', ref, [struct('spec', changes)], `complete VM ${spec.name}`);
    return this.requireStatus(spec.name);
  }

  /** The backing that attaches a NIC to a network: a distributed port group or a standard network. */
  private async nicBacking(network: string): Promise<Fragment> {
    const ref = await this.networkRef(network);
    if (!ref) throw new HypervisorError(HypervisorErrorCode.NotFound, `network ${network} does not exist in ${this.config.datacenter}`);
    if (ref.type === 'DistributedVirtualPortgroup') {
      const pg = await this.client.retrieveOne(ref, ['key', 'config.distributedVirtualSwitch']);
      const dvs = readMoRef(pg?.props.get('config.distributedVirtualSwitch'));
      const uuid = dvs && (await this.client.retrieveOne(dvs, ['uuid']))?.props.get('uuid')?.text;
      const key = pg?.props.get('key')?.text;
      if (!uuid || !key) throw new HypervisorError(HypervisorErrorCode.NotFound, `network ${network}: its distributed switch cannot be read`);
      return struct(
        'backing',
        [struct('port', [field('switchUuid', uuid), field('portgroupKey', key)])],
        'VirtualEthernetCardDistributedVirtualPortBackingInfo',
      );
    }
    return struct('backing', [field('deviceName', network), moRef('network', ref)], 'VirtualEthernetCardNetworkBackingInfo');
  }

  /** Moves the first NIC to `backing`, or adds a VMXNET3 NIC when the VM has none. */
  private nicChange(devices: VimDevice[], backing: Fragment): Fragment[] {
    const nic = devices.find(isNic);
    if (nic) {
      return [struct('deviceChange', [field('operation', 'edit'), echoElement(nic.element, 'device', { backing })], 'VirtualDeviceConfigSpec')];
    }
    return [
      struct(
        'deviceChange',
        [field('operation', 'add'), struct('device', [field('key', -300), backing, field('addressType', 'generated')], 'VirtualVmxnet3')],
        'VirtualDeviceConfigSpec',
      ),
    ];
  }

  /** Grows the first disk to `diskGb`; disks never shrink (vSphere refuses, and data would be lost). */
  private diskGrowth(devices: VimDevice[], diskGb: number, name: string): Fragment[] {
    const disk = devices.find(isDisk);
    if (!disk) throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `VM ${name}: the template has no disk to size`);
    const currentKb = diskCapacityKb(disk);
    const wantedKb = diskGb * KB_PER_GB;
    if (wantedKb < currentKb) {
      throw new HypervisorError(
        HypervisorErrorCode.InvalidRequest,
        `VM ${name}: disks only grow (it has ${Math.ceil(currentKb / KB_PER_GB)} GB, asked for ${diskGb})`,
      );
    }
    if (wantedKb === currentKb) return [];
    return [
      struct(
        'deviceChange',
        [
          field('operation', 'edit'),
          echoElement(disk.element, 'device', { capacityInKB: field('capacityInKB', wantedKb), capacityInBytes: field('capacityInBytes', wantedKb * 1024) }),
        ],
        'VirtualDeviceConfigSpec',
      ),
    ];
  }

  private async networkNames(refs: MoRef[]): Promise<Map<string, string>> {
    const byType = new Map<string, MoRef[]>();
    for (const ref of refs) byType.set(ref.type, [...(byType.get(ref.type) ?? []), ref]);
    const names = new Map<string, string>();
    for (const [type, group] of byType) {
      for (const network of await this.client.retrieve(group, type, ['name']))
        names.set(refKey(network.obj), network.props.get('name')?.text ?? network.obj.value);
    }
    return names;
  }

  private toVmInfo(vm: ObjectContent, networkNames: Map<string, string>): VmInfo {
    const props = vm.props;
    const devices = readDevices(props.get('config.hardware.device'));
    const disk = devices.find(isDisk);
    const labels: Record<string, string> = {};
    for (const option of props.get('config.extraConfig')?.elements() ?? []) {
      const key = option.textAt('key') ?? '';
      if (key.startsWith(LABEL_PREFIX)) labels[key.slice(LABEL_PREFIX.length)] = option.textAt('value') ?? '';
    }
    return {
      name: props.get('name')?.text ?? vm.obj.value,
      id: vm.obj.value,
      power: POWER[props.get('runtime.powerState')?.text ?? ''] ?? 'off',
      vcpu: Number(props.get('config.hardware.numCPU')?.text ?? 0),
      memoryMiB: Number(props.get('config.hardware.memoryMB')?.text ?? 0),
      ...(disk ? { diskGb: Math.ceil(diskCapacityKb(disk) / KB_PER_GB) } : {}),
      networks: refsIn(props.get('network'))
        .map((ref) => networkNames.get(refKey(ref)) ?? ref.value)
        .sort(),
      template: props.get('config.template')?.text === 'true',
      labels,
    };
  }
}

function extraConfig(labels: Record<string, string> | undefined): Fragment[] {
  return Object.entries(labels ?? {}).map(([key, value]) =>
    struct('extraConfig', [field('key', `${LABEL_PREFIX}${key}`), typedString('value', value)], 'OptionValue'),
  );
}

function refsIn(val: XmlElement | undefined): MoRef[] {
  return (val?.elements() ?? []).map(readMoRef).filter((ref): ref is MoRef => ref !== undefined);
}

function notFound(what: string): HypervisorError {
  return new HypervisorError(HypervisorErrorCode.NotFound, `vSphere: ${what} not found`);
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
