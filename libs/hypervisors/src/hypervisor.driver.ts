/**
 * The one interface provisioning uses for every kind of hypervisor. Every method is idempotent,
 * keyed by the resource's deterministic name (see resourceName in @wholesail/domain): a create
 * looks the name up first and returns what is there when it matches, a destroy of something that
 * is already gone succeeds, a power change to the state a VM is already in does nothing. Failures
 * are HypervisorErrors (HYPERVISOR_* codes; `retryable` for unreachable and timeouts).
 */
export interface HypervisorDriver {
  readonly kind: HypervisorKind;

  /** Connects (logging in where needed) and reports what the hypervisor is and holds. */
  check(): Promise<HypervisorCheck>;

  /** A network guests attach to: a port group (vSphere) or a bridge-mode network (libvirt). */
  createNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  destroyNetwork(name: string): Promise<void>;

  /** A powered-off VM cloned from a template, with the given size, on one network. */
  createVmFromTemplate(spec: VmSpec): Promise<VmInfo>;
  powerOn(name: string): Promise<VmInfo>;
  /** A hard power-off (like pulling the plug), as vSphere's PowerOffVM and libvirt's destroy. */
  powerOff(name: string): Promise<VmInfo>;
  /** Changes vCPU, memory and (growing only) the first disk; the VM must be powered off (HYPERVISOR_INVALID_STATE otherwise). */
  resize(name: string, size: VmSize): Promise<VmInfo>;
  /** Powers off when needed, then deletes the VM with its disks. */
  destroyVm(name: string): Promise<void>;

  /** The VM, or undefined when it does not exist. */
  status(name: string): Promise<VmInfo | undefined>;
  /** Every VM (templates included, flagged) and network the driver can see, by name. */
  list(): Promise<HypervisorInventory>;

  /** Ends the session / connection. Safe to call twice. */
  close(): Promise<void>;
}

export type HypervisorKind = 'vsphere' | 'libvirt';

export interface NetworkSpec {
  /** Deterministic name (resourceName). */
  name: string;
  /** Labels stored with the network where the hypervisor can keep them. */
  labels?: Record<string, string>;
}

export interface NetworkInfo {
  name: string;
  /** The hypervisor's id: a managed object reference (vSphere) or a UUID (libvirt). */
  id: string;
  active: boolean;
}

export interface VmSize {
  vcpu: number;
  memoryMiB: number;
  /** Size of the first disk; only ever grown. Omitted: the template's. */
  diskGb?: number;
}

export interface VmSpec extends VmSize {
  /** Deterministic name (resourceName). */
  name: string;
  /** The template to clone: a template VM's name (vSphere) or a defined domain's name (libvirt). */
  template: string;
  /** The network (created with createNetwork) the VM's first NIC attaches to. */
  network: string;
  /** Labels kept with the VM (vSphere extraConfig, libvirt metadata), e.g. environment and resource ids. */
  labels?: Record<string, string>;
}

export type PowerState = 'on' | 'off' | 'suspended';

export interface VmInfo {
  name: string;
  id: string;
  power: PowerState;
  vcpu: number;
  memoryMiB: number;
  /** Capacity of the first disk in GB (rounded up), when the VM has one. */
  diskGb?: number;
  /** Networks the VM's NICs attach to. */
  networks: string[];
  template: boolean;
  labels: Record<string, string>;
}

export interface HypervisorInventory {
  vms: VmInfo[];
  networks: NetworkInfo[];
}

export interface HypervisorCheck {
  /** e.g. "VMware vCenter Server 6.5.0 build-5973321" or "libvirt 9.0.0, QEMU 7.2.0". */
  product: string;
  /** Counts seen where the driver works (the datacenter / the connection). */
  vms: number;
  networks: number;
  /** What the host record names, checked: "datacenter DC0", "cluster DC0_C0", … */
  checked: string[];
}

/** Label keys and values: letters, digits and ._- in keys; values up to 256 printable characters. */
export const LABEL_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
