import type { FieldProblem } from '../errors';

/**
 * A solution design: the graph an architect draws for one client, stored as JSON, immutable once
 * saved as a version. Components have an `id` (a key unique within their kind, e.g. "web-1") that
 * every link and every problem uses; `name` is the label shown (the id when absent). Links are
 * references by id: a VM lists its networks, a volume and a public IP name the VM they attach to.
 * Sizes are whole numbers (JSON numbers, not money): vCPUs, GB of RAM, GB of disk.
 */
export interface DesignGraph {
  vms: DesignVm[];
  networks: DesignNetwork[];
  volumes: DesignVolume[];
  publicIps: DesignPublicIp[];
}

export interface DesignVm {
  id: string;
  name?: string;
  /** SKU of a catalog item that is a VM template (e.g. "VM-LINUX"). */
  template: string;
  vcpus: number;
  ramGb: number;
  /** The boot disk. */
  diskGb: number;
  /** SKU of an OS licence item (e.g. "LIC-WIN-STD"), when the template's OS needs one. */
  osLicence?: string | null;
  /** Ids of the networks the VM is connected to. */
  networks: string[];
}

export interface DesignNetwork {
  id: string;
  name?: string;
  /** An IPv4 CIDR, e.g. "10.0.1.0/24". */
  cidr: string;
}

export interface DesignVolume {
  id: string;
  name?: string;
  sizeGb: number;
  /** Id of the VM the volume is attached to. */
  vm: string;
}

export interface DesignPublicIp {
  id: string;
  name?: string;
  /** Id of the VM the address is mapped to. */
  vm: string;
}

export type DesignComponentKind = keyof DesignGraph;

/** How big a design may get: generous for a client solution, small enough to validate and draw at once. */
export const DESIGN_LIMITS = {
  vms: 200,
  networks: 50,
  volumes: 400,
  publicIps: 200,
  /** Longest id or name. */
  text: 100,
  /** The largest number any size field may hold (the template's maximum is checked separately). */
  size: 1_000_000,
} as const;

/** An id: lower-case letters, digits and dashes, starting with a letter or digit (e.g. "web-1"). */
export const DESIGN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `vms[web-1]` when the component's id is usable, else `vms[3]`. */
export function componentField(kind: DesignComponentKind, id: unknown, index: number): string {
  return typeof id === 'string' && DESIGN_ID.test(id) ? `${kind}[${id}]` : `${kind}[${index}]`;
}

/** The label a component is drawn and mentioned with. */
export function labelOf(component: { id: string; name?: string }): string {
  return component.name?.trim() || component.id;
}

export interface GraphReading {
  /** Set when the graph is well-formed (no problems). */
  graph?: DesignGraph;
  problems: FieldProblem[];
}

const KINDS: readonly DesignComponentKind[] = ['vms', 'networks', 'volumes', 'publicIps'];
const ALLOWED: Record<DesignComponentKind, readonly string[]> = {
  vms: ['id', 'name', 'template', 'vcpus', 'ramGb', 'diskGb', 'osLicence', 'networks'],
  networks: ['id', 'name', 'cidr'],
  volumes: ['id', 'name', 'sizeGb', 'vm'],
  publicIps: ['id', 'name', 'vm'],
};

/**
 * Checks that `value` has the shape of a design (types, ids, sizes, no unknown fields, within the
 * limits) and returns it as a fresh, typed graph, or the problems, each naming its field. The
 * business rules (catalog, networks, CIDRs) are `validateDesign`'s.
 */
export function readDesignGraph(value: unknown): GraphReading {
  const problems: FieldProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  if (!isRecord(value)) return { problems: [{ field: 'graph', problem: 'must be an object with vms, networks, volumes and publicIps' }] };
  for (const key of Object.keys(value)) if (!KINDS.includes(key as DesignComponentKind)) add(key, 'is not an allowed field');

  const lists = {} as Record<DesignComponentKind, Record<string, unknown>[]>;
  for (const kind of KINDS) {
    const list = value[kind] ?? [];
    if (!Array.isArray(list)) {
      add(kind, 'must be a list');
      lists[kind] = [];
      continue;
    }
    if (list.length > DESIGN_LIMITS[kind]) add(kind, `must have at most ${DESIGN_LIMITS[kind]} entries`);
    lists[kind] = list.slice(0, DESIGN_LIMITS[kind]).map((entry, index) => {
      if (!isRecord(entry)) add(`${kind}[${index}]`, 'must be an object');
      return isRecord(entry) ? entry : {};
    });
  }

  for (const kind of KINDS) {
    const seen = new Set<string>();
    lists[kind].forEach((entry, index) => {
      const at = componentField(kind, entry.id, index);
      for (const key of Object.keys(entry)) if (!ALLOWED[kind].includes(key)) add(`${at}.${key}`, 'is not an allowed field');
      if (typeof entry.id !== 'string' || !DESIGN_ID.test(entry.id)) {
        add(`${at}.id`, 'must be lower-case letters, digits and dashes (up to 63), starting with a letter or digit, e.g. "web-1"');
      } else if (seen.has(entry.id)) {
        add(`${at}.id`, `is used by another entry of ${kind}: ids must be unique`);
      } else seen.add(entry.id);
      if (entry.name !== undefined && entry.name !== null && !(typeof entry.name === 'string' && entry.name.length <= DESIGN_LIMITS.text)) {
        add(`${at}.name`, `must be text of at most ${DESIGN_LIMITS.text} characters`);
      }
    });
  }

  lists.vms.forEach((vm, index) => {
    const at = componentField('vms', vm.id, index);
    requireText(vm.template, `${at}.template`, 'a VM template SKU, e.g. "VM-LINUX"', add);
    for (const size of ['vcpus', 'ramGb', 'diskGb'] as const) requireSize(vm[size], `${at}.${size}`, add);
    if (vm.osLicence !== undefined && vm.osLicence !== null) requireText(vm.osLicence, `${at}.osLicence`, 'an OS licence SKU or null', add);
    if (!Array.isArray(vm.networks) || vm.networks.some((n) => typeof n !== 'string')) add(`${at}.networks`, 'must be a list of network ids');
    else if (vm.networks.length > DESIGN_LIMITS.networks) add(`${at}.networks`, `must have at most ${DESIGN_LIMITS.networks} entries`);
  });
  lists.networks.forEach((network, index) => {
    if (typeof network.cidr !== 'string') add(`${componentField('networks', network.id, index)}.cidr`, 'must be an IPv4 CIDR such as 10.0.1.0/24');
  });
  lists.volumes.forEach((volume, index) => {
    const at = componentField('volumes', volume.id, index);
    requireSize(volume.sizeGb, `${at}.sizeGb`, add);
    requireText(volume.vm, `${at}.vm`, 'the id of the VM it is attached to', add);
  });
  lists.publicIps.forEach((ip, index) => requireText(ip.vm, `${componentField('publicIps', ip.id, index)}.vm`, 'the id of the VM it maps to', add));

  if (problems.length > 0) return { problems };
  const name = (entry: Record<string, unknown>) => (typeof entry.name === 'string' && entry.name.trim() !== '' ? { name: entry.name } : {});
  return {
    problems,
    graph: {
      vms: lists.vms.map((vm) => ({
        id: vm.id as string,
        ...name(vm),
        template: vm.template as string,
        vcpus: vm.vcpus as number,
        ramGb: vm.ramGb as number,
        diskGb: vm.diskGb as number,
        ...(typeof vm.osLicence === 'string' ? { osLicence: vm.osLicence } : {}),
        networks: [...(vm.networks as string[])],
      })),
      networks: lists.networks.map((n) => ({ id: n.id as string, ...name(n), cidr: n.cidr as string })),
      volumes: lists.volumes.map((v) => ({ id: v.id as string, ...name(v), sizeGb: v.sizeGb as number, vm: v.vm as string })),
      publicIps: lists.publicIps.map((ip) => ({ id: ip.id as string, ...name(ip), vm: ip.vm as string })),
    },
  };
}

/** A design's totals, for thresholds and summaries. */
export interface DesignTotals {
  vms: number;
  vcpus: number;
  ramGb: number;
  /** Boot disks and volumes. */
  storageGb: number;
  publicIps: number;
}

export function designTotals(graph: DesignGraph): DesignTotals {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    vms: graph.vms.length,
    vcpus: sum(graph.vms.map((vm) => vm.vcpus)),
    ramGb: sum(graph.vms.map((vm) => vm.ramGb)),
    storageGb: sum(graph.vms.map((vm) => vm.diskGb)) + sum(graph.volumes.map((v) => v.sizeGb)),
    publicIps: graph.publicIps.length,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireText(value: unknown, field: string, what: string, add: (field: string, problem: string) => void): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > DESIGN_LIMITS.text) add(field, `must be ${what}`);
}

function requireSize(value: unknown, field: string, add: (field: string, problem: string) => void): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= DESIGN_LIMITS.size)) {
    add(field, `must be a whole number from 1 to ${DESIGN_LIMITS.size}`);
  }
}
