import { findRepoRoot, resolveGovcBinary, resolveVcsimBinary, startVcsim, type RunningVcsim } from '@wholesail/devstack';
import type { VsphereHostConfig } from '@wholesail/hypervisors';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A private vCenter simulator for one test file (in memory, ready in well under a second). */
export async function startTestVcsim(): Promise<RunningVcsim> {
  const binary = resolveVcsimBinary();
  if (!binary)
    throw new Error('vcsim is not installed: npm test installs it (scripts/ensure-go-tool.sh), or run `go install github.com/vmware/govmomi/vcsim@v0.46.3`');
  return startVcsim({ binary, log: () => undefined });
}

/** The host-record fields for vcsim's default inventory. */
export function vcsimConfig(vc: { url: string; username: string; password: string }, overrides: Partial<VsphereHostConfig> = {}): VsphereHostConfig {
  return {
    sdkUrl: vc.url,
    username: vc.username,
    password: vc.password,
    insecure: true,
    datacenter: 'DC0',
    cluster: 'DC0_C0',
    datastore: 'LocalDS_0',
    network: 'DVS0',
    ...overrides,
  };
}

/** A POST /hosts body registering vcsim's default inventory as a vSphere host. */
export function vcsimHostBody(
  vc: { url: string; username: string; password: string },
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const config = vcsimConfig(vc);
  return {
    name,
    kind: 'vsphere',
    sdkUrl: config.sdkUrl,
    username: config.username,
    password: config.password,
    insecureTls: true,
    datacenter: config.datacenter,
    cluster: config.cluster,
    datastore: config.datastore,
    network: config.network,
    capacity: { vcpu: 16, ramGb: 64, storageGb: 1024 },
    ...extra,
  };
}

/**
 * govc, vSphere's own CLI, against a simulator: the tests look at the inventory through it rather
 * than through our client, so a client bug cannot hide itself.
 */
export class Govc {
  private readonly binary: string;

  constructor(private readonly vc: { url: string; username: string; password: string }) {
    const binary = resolveGovcBinary();
    if (!binary) throw new Error('govc is not installed: npm test installs it, or run `go install github.com/vmware/govmomi/govc@v0.46.3`');
    this.binary = binary;
  }

  async text(...args: string[]): Promise<string> {
    const url = new URL(this.vc.url);
    url.username = encodeURIComponent(this.vc.username);
    url.password = encodeURIComponent(this.vc.password);
    const { stdout } = await run(this.binary, args, { env: { ...process.env, GOVC_URL: url.toString(), GOVC_INSECURE: '1' } });
    return stdout;
  }

  /** Inventory paths below a folder, e.g. ls('/DC0/vm') → ['/DC0/vm/web-1', …]. */
  async ls(path: string): Promise<string[]> {
    return (await this.text('ls', path))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  }

  /** The VM as govc sees it, or undefined when there is none. */
  async vm(name: string): Promise<GovcVm | undefined> {
    const info = JSON.parse(await this.text('vm.info', '-json', name)) as { virtualMachines: GovcVm[] | null };
    return info.virtualMachines?.[0];
  }
}

export interface GovcVm {
  name: string;
  config: {
    template: boolean;
    hardware: { numCPU: number; memoryMB: number; device: { key?: number; capacityInKB?: number; backing?: { port?: { portgroupKey?: string } } }[] };
    extraConfig?: { key: string; value: string }[];
  };
  runtime: { powerState: string };
  network: { type: string; value: string }[] | null;
}

/** The first disk's capacity in GB, as vSphere reports it. */
export function govcDiskGb(vm: GovcVm): number | undefined {
  const disk = vm.config.hardware.device.find((device) => device.capacityInKB !== undefined);
  return disk ? (disk.capacityInKB as number) / 1024 / 1024 : undefined;
}

/** virsh as a separate process (one command, one connection): the hypervisor's own view, independent of the driver's session. */
export async function virsh(uri: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', ['-q', '-c', uri, ...args], { env: { ...process.env, LC_ALL: 'C' } });
  return stdout;
}

export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The tap devices on a host bridge. Other test files' guests may be there too: compare names, never counts. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const { stdout } = await run('ip', ['-o', 'link', 'show', 'master', bridge]);
  return lines(stdout).map((line) => line.split(':')[1].trim().split('@')[0]);
}

/** A running domain's tap devices, from `virsh domiflist` (Interface, Type, Source, Model, MAC). */
export async function domainTaps(uri: string, domain: string): Promise<string[]> {
  return lines(await virsh(uri, 'domiflist', domain))
    .map((line) => line.split(/\s+/)[0])
    .filter((name) => name !== '-');
}

/**
 * Makes sure a real libvirtd with QEMU runs (scripts/ensure-libvirt.sh, idempotent; npm test has
 * already run it and exported LIBVIRT_E2E_URI) and returns its URI.
 */
export function ensureLibvirt(): string {
  if (process.env.LIBVIRT_E2E_URI) return process.env.LIBVIRT_E2E_URI;
  const output = execFileSync('bash', [join(findRepoRoot(), 'scripts/ensure-libvirt.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').at(-1) as string;
}

/**
 * A QEMU template on a real libvirtd for e2e tests: a directory pool of its own with an empty
 * 16 MiB raw disk, and a domain marked as a Wholesail template whose NIC is on `bridge`. The guest
 * boots SeaBIOS, finds nothing to boot and waits — a real QEMU process (KVM where /dev/kvm works,
 * TCG otherwise), enough for lifecycle tests. Returns the cleanup.
 */
export async function defineQemuTemplate(uri: string, names: { pool: string; template: string; bridge: string }): Promise<() => Promise<void>> {
  const { pool, template, bridge } = names;
  await virsh(uri, 'pool-define-as', pool, 'dir', '--target', `/var/lib/libvirt/images/${pool}`);
  await virsh(uri, 'pool-build', pool);
  await virsh(uri, 'pool-start', pool);
  await virsh(uri, 'vol-create-as', pool, `${template}.img`, '16M', '--format', 'raw');
  const type = (await virsh(uri, 'domcapabilities', '--virttype', 'kvm').then(
    () => true,
    () => false,
  ))
    ? 'kvm'
    : 'qemu';
  const dir = await mkdtemp(join(tmpdir(), 'ws-e2e-'));
  await writeFile(
    `${dir}/tpl.xml`,
    `<domain type='${type}'><name>${template}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
      <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
      <metadata><wholesail:vm xmlns:wholesail="urn:wholesail:hypervisors:1" template="true"/></metadata>
      <devices><disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='${pool}' volume='${template}.img'/><target dev='vda' bus='virtio'/></disk>
      <interface type='bridge'><source bridge='${bridge}'/><model type='virtio'/></interface><memballoon model='none'/></devices></domain>`,
  );
  await virsh(uri, 'define', `${dir}/tpl.xml`);
  await rm(dir, { recursive: true, force: true });
  return async () => {
    await virsh(uri, 'undefine', template).catch(() => undefined);
    await virsh(uri, 'vol-delete', `${template}.img`, '--pool', pool).catch(() => undefined);
    await virsh(uri, 'pool-destroy', pool).catch(() => undefined);
    await virsh(uri, 'pool-delete', pool).catch(() => undefined);
    await virsh(uri, 'pool-undefine', pool).catch(() => undefined);
  };
}
