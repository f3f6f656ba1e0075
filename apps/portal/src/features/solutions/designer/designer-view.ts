/** What the canvas's nodes read while they draw: the graph, the problems placed on components, each component's monthly amount. */
import { createContext, useContext } from 'react';
import type { CatalogItem } from '../../../api/types';
import {
  componentLabel,
  findComponent,
  KIND_NOUN,
  parseKey,
  problemsOf,
  type ComponentKey,
  type DraftGraph,
  type DraftVm,
  type DraftVolume,
  type PlacedProblem,
} from './design-model';

export interface DesignOffer {
  /** Catalog items that are VM templates, by SKU. */
  templates: CatalogItem[];
  licences: CatalogItem[];
}

export interface DesignerView {
  graph: DraftGraph;
  placed: PlacedProblem[];
  amounts: Map<ComponentKey, string>;
  currency: string;
}

export const DesignerViewContext = createContext<DesignerView | null>(null);

export function useDesignerView(): DesignerView {
  const view = useContext(DesignerViewContext);
  if (!view) throw new Error('useDesignerView outside the designer');
  return view;
}

/** How the design's fields read in messages. */
export const FIELD_LABELS: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  template: 'Template',
  vcpus: 'vCPUs',
  ramGb: 'RAM',
  diskGb: 'Boot disk',
  osLicence: 'OS licence',
  networks: 'Networks',
  cidr: 'CIDR',
  sizeGb: 'Size',
  vm: 'VM',
};

export function fieldLabel(field: string | null): string | null {
  return field ? (FIELD_LABELS[field] ?? field) : null;
}

/** A component's one-line description: what a screen reader says for its node, and a tooltip. */
export function describeComponent(graph: DraftGraph, key: ComponentKey, placed: readonly PlacedProblem[]): string {
  const parsed = parseKey(key);
  const component = parsed ? findComponent(graph, parsed.kind, parsed.id) : undefined;
  if (!parsed || !component) return key;
  const parts = [`${KIND_NOUN[parsed.kind]} ${componentLabel(component)}`];
  if (parsed.kind === 'vms') {
    const vm = component as DraftVm;
    parts.push(`${vm.template || 'no template'}, ${vm.vcpus} vCPUs, ${vm.ramGb} GB RAM, ${vm.diskGb} GB disk`);
    const networks = vm.networks.map((n) => findComponent(graph, 'networks', n)).filter((n) => n !== undefined);
    parts.push(networks.length ? `on ${networks.map((n) => componentLabel(n)).join(' and ')}` : 'on no network');
  }
  if (parsed.kind === 'networks') parts.push((component as { cidr: string }).cidr);
  if (parsed.kind === 'volumes') {
    const volume = component as DraftVolume;
    const vm = findComponent(graph, 'vms', volume.vm);
    parts.push(`${volume.sizeGb} GB`, vm ? `attached to ${componentLabel(vm)}` : 'not attached');
  }
  if (parsed.kind === 'publicIps') {
    const vm = findComponent(graph, 'vms', (component as { vm: string }).vm);
    parts.push(vm ? `mapped to ${componentLabel(vm)}` : 'not mapped to a VM');
  }
  const problems = problemsOf(placed, key).length;
  if (problems) parts.push(problems === 1 ? '1 problem' : `${problems} problems`);
  return parts.join(', ');
}
