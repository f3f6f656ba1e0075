/**
 * The designer's model: the design graph being drawn (the API's format, see the README's "The design
 * graph"), changed by pure functions the canvas, the palette and the side panel all call, and the
 * API's answers (problems naming `vms[web-1].vcpus`, quote lines whose `ref` names the field they
 * price) read back onto the components they name.
 *
 * While a size is being typed it may not be a number yet: the draft keeps the text, the live check
 * sends it as it is, and the API's own problem ("must be a whole number …") shows by the field.
 */
import { Dec, exactAdd, labelOf, parseDecimal, type DesignGraph } from '@wholesail/domain';

export type Size = number | string;

export interface DraftVm {
  id: string;
  name?: string;
  template: string;
  vcpus: Size;
  ramGb: Size;
  diskGb: Size;
  osLicence?: string | null;
  networks: string[];
}
export interface DraftNetwork {
  id: string;
  name?: string;
  cidr: string;
}
export interface DraftVolume {
  id: string;
  name?: string;
  sizeGb: Size;
  vm: string;
}
export interface DraftPublicIp {
  id: string;
  name?: string;
  vm: string;
}

export interface DraftGraph {
  vms: DraftVm[];
  networks: DraftNetwork[];
  volumes: DraftVolume[];
  publicIps: DraftPublicIp[];
}

export type ComponentKind = keyof DraftGraph;
export type DraftComponent = DraftVm | DraftNetwork | DraftVolume | DraftPublicIp;
export const COMPONENT_KINDS: readonly ComponentKind[] = ['vms', 'networks', 'volumes', 'publicIps'];

/** What one of a kind is called, for labels and messages. */
export const KIND_NOUN: Record<ComponentKind, string> = { vms: 'VM', networks: 'network', volumes: 'volume', publicIps: 'public IP' };
const ID_PREFIX: Record<ComponentKind, string> = { vms: 'vm', networks: 'net', volumes: 'vol', publicIps: 'ip' };

/** The canvas names a component `<kind>:<id>`: ids are unique only within their kind. */
export type ComponentKey = `${ComponentKind}:${string}`;
export function keyOf(kind: ComponentKind, id: string): ComponentKey {
  return `${kind}:${id}`;
}
export function parseKey(key: string): { kind: ComponentKind; id: string } | null {
  const at = key.indexOf(':');
  const kind = key.slice(0, at) as ComponentKind;
  return at > 0 && COMPONENT_KINDS.includes(kind) ? { kind, id: key.slice(at + 1) } : null;
}

export function emptyGraph(): DraftGraph {
  return { vms: [], networks: [], volumes: [], publicIps: [] };
}

/** A saved version's graph as a draft (a copy: the draft is changed, the version never). */
export function draftOf(graph: Partial<DesignGraph> | null | undefined): DraftGraph {
  return {
    vms: (graph?.vms ?? []).map((vm) => ({ ...vm, networks: [...vm.networks] })),
    networks: (graph?.networks ?? []).map((n) => ({ ...n })),
    volumes: (graph?.volumes ?? []).map((v) => ({ ...v })),
    publicIps: (graph?.publicIps ?? []).map((ip) => ({ ...ip })),
  };
}

/** The graph as the API takes it: empty names left out, sizes typed as whole numbers become numbers. */
export function toApiGraph(draft: DraftGraph): Record<ComponentKind, Record<string, unknown>[]> {
  const named = (c: { name?: string }) => (c.name && c.name.trim() !== '' ? { name: c.name } : {});
  const size = (value: Size): Size => (typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value);
  return {
    vms: draft.vms.map((vm) => ({
      id: vm.id,
      ...named(vm),
      template: vm.template,
      vcpus: size(vm.vcpus),
      ramGb: size(vm.ramGb),
      diskGb: size(vm.diskGb),
      ...(vm.osLicence ? { osLicence: vm.osLicence } : {}),
      networks: vm.networks,
    })),
    networks: draft.networks.map((n) => ({ id: n.id, ...named(n), cidr: n.cidr })),
    volumes: draft.volumes.map((v) => ({ id: v.id, ...named(v), sizeGb: size(v.sizeGb), vm: v.vm })),
    publicIps: draft.publicIps.map((ip) => ({ id: ip.id, ...named(ip), vm: ip.vm })),
  };
}

export function findComponent(graph: DraftGraph, kind: ComponentKind, id: string): DraftComponent | undefined {
  return (graph[kind] as DraftComponent[]).find((c) => c.id === id);
}

export function componentLabel(component: { id: string; name?: string }): string {
  return labelOf(component);
}

/** The next free id of a kind: `vm-1`, `vm-2`, … (the first network is `lan`). */
export function nextId(graph: DraftGraph, kind: ComponentKind): string {
  const taken = new Set((graph[kind] as DraftComponent[]).map((c) => c.id));
  if (kind === 'networks' && !taken.has('lan')) return 'lan';
  for (let n = 1; ; n++) if (!taken.has(`${ID_PREFIX[kind]}-${n}`)) return `${ID_PREFIX[kind]}-${n}`;
}

/** A /24 in 10.0.x.0 that no network of the design uses yet. */
export function freeCidr(graph: DraftGraph): string {
  const used = new Set(graph.networks.map((n) => n.cidr.trim()));
  for (let octet = 1; octet < 255; octet++) if (!used.has(`10.0.${octet}.0/24`)) return `10.0.${octet}.0/24`;
  return '10.1.0.0/24';
}

export interface TemplateChoice {
  sku: string;
  licence?: string | null;
}

/** Adds a component with sensible defaults and returns the new graph and its id. */
export function addComponent(
  graph: DraftGraph,
  kind: ComponentKind,
  options: { template?: TemplateChoice; vm?: string } = {},
): { graph: DraftGraph; id: string } {
  const id = nextId(graph, kind);
  switch (kind) {
    case 'vms': {
      const number = graph.vms.length + 1;
      const vm: DraftVm = { id, name: `VM ${number}`, template: options.template?.sku ?? '', vcpus: 2, ramGb: 4, diskGb: 40, networks: [] };
      if (options.template?.licence) vm.osLicence = options.template.licence;
      return { graph: { ...graph, vms: [...graph.vms, vm] }, id };
    }
    case 'networks':
      return { graph: { ...graph, networks: [...graph.networks, { id, name: `Network ${graph.networks.length + 1}`, cidr: freeCidr(graph) }] }, id };
    case 'volumes':
      return {
        graph: {
          ...graph,
          volumes: [...graph.volumes, { id, name: `Volume ${graph.volumes.length + 1}`, sizeGb: 100, vm: options.vm ?? graph.vms[0]?.id ?? '' }],
        },
        id,
      };
    case 'publicIps':
      return { graph: { ...graph, publicIps: [...graph.publicIps, { id, vm: options.vm ?? graph.vms[0]?.id ?? '' }] }, id };
  }
}

export function updateComponent<K extends ComponentKind>(graph: DraftGraph, kind: K, id: string, change: Partial<DraftGraph[K][number]>): DraftGraph {
  return { ...graph, [kind]: (graph[kind] as DraftComponent[]).map((c) => (c.id === id ? { ...c, ...change } : c)) };
}

/**
 * Removes a component and what hangs on it: a network leaves the VMs connected to it; a VM takes its
 * volumes and public IPs with it (they belong to it on the canvas and cannot exist alone).
 */
export function removeComponent(graph: DraftGraph, kind: ComponentKind, id: string): DraftGraph {
  switch (kind) {
    case 'vms':
      return {
        ...graph,
        vms: graph.vms.filter((vm) => vm.id !== id),
        volumes: graph.volumes.filter((v) => v.vm !== id),
        publicIps: graph.publicIps.filter((ip) => ip.vm !== id),
      };
    case 'networks':
      return {
        ...graph,
        networks: graph.networks.filter((n) => n.id !== id),
        vms: graph.vms.map((vm) => (vm.networks.includes(id) ? { ...vm, networks: vm.networks.filter((n) => n !== id) } : vm)),
      };
    default:
      return { ...graph, [kind]: (graph[kind] as DraftComponent[]).filter((c) => c.id !== id) };
  }
}

/** The links of the design, one per edge on the canvas. */
export interface Link {
  id: string;
  from: ComponentKey;
  to: ComponentKey;
}

export function linksOf(graph: DraftGraph): Link[] {
  const links: Link[] = [];
  for (const vm of graph.vms)
    for (const network of vm.networks) links.push({ id: `link:${vm.id}:${network}`, from: keyOf('vms', vm.id), to: keyOf('networks', network) });
  for (const volume of graph.volumes)
    if (volume.vm) links.push({ id: `attach:volumes:${volume.id}`, from: keyOf('volumes', volume.id), to: keyOf('vms', volume.vm) });
  for (const ip of graph.publicIps) if (ip.vm) links.push({ id: `attach:publicIps:${ip.id}`, from: keyOf('publicIps', ip.id), to: keyOf('vms', ip.vm) });
  return links;
}

/**
 * Connects two components where the design has such a link (a VM and a network; a volume or a public
 * IP and the VM it belongs to); `null` when they cannot be linked. Either order works.
 */
export function connect(graph: DraftGraph, a: ComponentKey, b: ComponentKey): DraftGraph | null {
  const one = parseKey(a);
  const two = parseKey(b);
  if (!one || !two) return null;
  const [vmSide, other] = one.kind === 'vms' ? [one, two] : two.kind === 'vms' ? [two, one] : [null, null];
  if (!vmSide || !other || !findComponent(graph, 'vms', vmSide.id) || !findComponent(graph, other.kind, other.id)) return null;
  if (other.kind === 'networks') {
    const vm = findComponent(graph, 'vms', vmSide.id) as DraftVm;
    return vm.networks.includes(other.id) ? graph : updateComponent(graph, 'vms', vm.id, { networks: [...vm.networks, other.id] });
  }
  if (other.kind === 'volumes' || other.kind === 'publicIps') return updateComponent(graph, other.kind, other.id, { vm: vmSide.id });
  return null;
}

export function canConnect(graph: DraftGraph, a: string, b: string): boolean {
  return a !== b && connect(graph, a as ComponentKey, b as ComponentKey) !== null;
}

/** Removes the link an edge stands for (a volume or public IP is left unattached, which validation names). */
export function disconnect(graph: DraftGraph, linkId: string): DraftGraph {
  const network = /^link:([^:]+):(.+)$/.exec(linkId);
  if (network) {
    const vm = findComponent(graph, 'vms', network[1]) as DraftVm | undefined;
    return vm ? updateComponent(graph, 'vms', vm.id, { networks: vm.networks.filter((n) => n !== network[2]) }) : graph;
  }
  const attach = /^attach:(volumes|publicIps):(.+)$/.exec(linkId);
  if (attach) return updateComponent(graph, attach[1] as 'volumes' | 'publicIps', attach[2], { vm: '' });
  return graph;
}

export interface PlacedProblem {
  /** The component named, when the field names one. */
  key: ComponentKey | null;
  /** The component's field (`vcpus`, `cidr`, `networks`), or null for the component as a whole. */
  field: string | null;
  problem: string;
  /** The API's field, as sent. */
  path: string;
}

const FIELD = /^(vms|networks|volumes|publicIps)\[([^\]]+)\](?:\.(\w+))?/;

/** Whether a field path (`vms[web-1].vcpus`) names a component of some design. */
export function namesComponent(path: string): boolean {
  return FIELD.test(path);
}

/**
 * The component a field path names, with the field inside it: by id (`vms[web-1]`), or by
 * position when the id itself is bad (`vms[3]`). Null when the graph has no such component.
 */
export function componentAt(graph: DraftGraph, path: string): { key: ComponentKey; component: DraftComponent; field: string | null } | null {
  const match = FIELD.exec(path);
  if (!match) return null;
  const kind = match[1] as ComponentKind;
  const list = graph[kind] as DraftComponent[];
  const component = list.find((c) => c.id === match[2]) ?? (/^\d+$/.test(match[2]) ? list[Number(match[2])] : undefined);
  return component ? { key: keyOf(kind, component.id), component, field: match[3] ?? null } : null;
}

/** Places each problem of a check (or of a refused save) on the component and field it names. */
export function placeProblems(graph: DraftGraph, problems: readonly { field: string; problem: string }[]): PlacedProblem[] {
  return problems.map(({ field, problem }) => {
    const at = componentAt(graph, field);
    return { key: at?.key ?? null, field: at?.field ?? null, problem, path: field };
  });
}

export function problemsOf(placed: readonly PlacedProblem[], key: ComponentKey): PlacedProblem[] {
  return placed.filter((p) => p.key === key);
}

/** One field's problems as one sentence, for the side panel (`undefined`: none). */
export function fieldProblem(placed: readonly PlacedProblem[], key: ComponentKey, field: string): string | undefined {
  const found = placed.filter((p) => p.key === key && p.field === field).map((p) => p.problem);
  return found.length ? found.join('; ') : undefined;
}

/**
 * What each component costs a month: the sum of the quote lines whose `ref` names it (a VM's
 * template, vCPUs, RAM, boot disk and licence; a volume's storage; a public IP). Exact decimals.
 */
export function amountsByComponent(lines: readonly { ref: string | null; amount: string }[]): Map<ComponentKey, string> {
  const sums = new Map<ComponentKey, Dec>();
  for (const line of lines) {
    const match = line.ref ? FIELD.exec(line.ref) : null;
    if (!match) continue;
    const key = keyOf(match[1] as ComponentKind, match[2]);
    sums.set(key, exactAdd(sums.get(key) ?? new Dec(0), parseDecimal(line.amount, 'amount')));
  }
  return new Map([...sums].map(([key, sum]) => [key, sum.toFixed()]));
}

/** Where components sit when a saved design is opened: public IPs on top, VMs (volumes below), networks at the bottom. */
export function layout(graph: DraftGraph): Map<ComponentKey, { x: number; y: number }> {
  const positions = new Map<ComponentKey, { x: number; y: number }>();
  const column = 230;
  graph.vms.forEach((vm, i) => positions.set(keyOf('vms', vm.id), { x: i * column, y: 140 }));
  const column0 = (vmId: string) =>
    Math.max(
      0,
      graph.vms.findIndex((vm) => vm.id === vmId),
    ) * column;
  const stacked = new Map<string, number>();
  for (const ip of graph.publicIps) {
    const n = stacked.get(`ip:${ip.vm}`) ?? 0;
    stacked.set(`ip:${ip.vm}`, n + 1);
    positions.set(keyOf('publicIps', ip.id), { x: column0(ip.vm) + n * 40, y: 0 });
  }
  for (const volume of graph.volumes) {
    const n = stacked.get(`vol:${volume.vm}`) ?? 0;
    stacked.set(`vol:${volume.vm}`, n + 1);
    positions.set(keyOf('volumes', volume.id), { x: column0(volume.vm) + n * 40, y: 330 + n * 20 });
  }
  graph.networks.forEach((network, i) => positions.set(keyOf('networks', network.id), { x: i * column * 1.5, y: 470 }));
  return positions;
}

/** Where a component added without a drop position goes: its kind's row, after the last one there. */
export function nextPosition(kind: ComponentKind, taken: readonly { x: number; y: number }[]): { x: number; y: number } {
  const row = { publicIps: 0, vms: 140, volumes: 330, networks: 470 }[kind];
  const inRow = taken.filter((p) => Math.abs(p.y - row) < 60);
  return { x: inRow.length ? Math.max(...inRow.map((p) => p.x)) + 230 : 0, y: row };
}
