import { labelOf, readCidr, type DesignGraph, type DesignVm } from '@wholesail/domain';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ELK as ElkEngine } from 'elkjs/lib/elk-api';

/**
 * The network map of a design as an SVG document: public IPs on top, VMs (with their volumes) in
 * the middle, networks as wide bands below, links drawn orthogonally. Laid out by ELK's layered
 * algorithm (elkjs, run in-process without workers), which is deterministic: the same graph and
 * title give byte-identical SVG. Every label is escaped, so names cannot inject markup; the map has
 * a <title> and a <desc> that says in words what it shows. A saved version may have problems (a
 * link to a missing network): such links are left out, never fatal.
 */
export interface NetworkMapOptions {
  /** The map's title, e.g. "Umbrella web shop, version 3". */
  title: string;
}

const VM_WIDTH = 230;
const VM_HEIGHT = 70;
const VOLUME_ROW = 18;
const IP_WIDTH = 140;
const IP_HEIGHT = 28;
const NETWORK_HEIGHT = 46;
const MARGIN = 16;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const COLOURS = {
  vm: '#eef4fb',
  vmStroke: '#0b5cab',
  net: '#e8f5ec',
  netStroke: '#1e7a3c',
  ip: '#fff4e0',
  ipStroke: '#b86e00',
  edge: '#55606e',
  text: '#1b2430',
  muted: '#4d5866',
};

let engine: ElkEngine | undefined;
function elk(): ElkEngine {
  engine ??= new ELK();
  return engine;
}

export async function renderNetworkMap(graph: DesignGraph, options: NetworkMapOptions): Promise<string> {
  const vmIds = new Set(graph.vms.map((vm) => vm.id));
  const networkIds = new Set(graph.networks.map((n) => n.id));
  const volumesOf = new Map<string, DesignGraph['volumes']>();
  for (const volume of graph.volumes) if (vmIds.has(volume.vm)) volumesOf.set(volume.vm, [...(volumesOf.get(volume.vm) ?? []), volume]);
  const linksOf = (vm: DesignVm) => [...new Set(vm.networks.filter((id) => networkIds.has(id)))];
  const connected = (networkId: string) => graph.vms.filter((vm) => linksOf(vm).includes(networkId)).length;

  const partition = (n: number) => ({ 'elk.partitioning.partition': String(n) });
  const children: ElkNode[] = [
    ...graph.publicIps.map((ip) => ({ id: `ip:${ip.id}`, width: IP_WIDTH, height: IP_HEIGHT, layoutOptions: partition(0) })),
    ...graph.vms.map((vm) => ({
      id: `vm:${vm.id}`,
      width: VM_WIDTH,
      height: VM_HEIGHT + VOLUME_ROW * (volumesOf.get(vm.id)?.length ?? 0),
      layoutOptions: partition(1),
    })),
    ...graph.networks.map((n) => ({
      id: `net:${n.id}`,
      width: Math.max(240, Math.min(connected(n.id), 6) * (VM_WIDTH + 30) - 30),
      height: NETWORK_HEIGHT,
      layoutOptions: partition(2),
    })),
  ];
  const edges: ElkExtendedEdge[] = [
    ...graph.publicIps.filter((ip) => vmIds.has(ip.vm)).map((ip) => ({ id: `e:ip:${ip.id}`, sources: [`ip:${ip.id}`], targets: [`vm:${ip.vm}`] })),
    ...graph.vms.flatMap((vm) => linksOf(vm).map((id) => ({ id: `e:vm:${vm.id}:${id}`, sources: [`vm:${vm.id}`], targets: [`net:${id}`] }))),
  ];
  const root: ElkNode = {
    id: 'map',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.partitioning.activate': 'true',
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': `[top=${MARGIN},left=${MARGIN},bottom=${MARGIN},right=${MARGIN}]`,
      'elk.randomSeed': '1',
    },
    children,
    edges,
  };
  const laid = await elk().layout(root);

  const at = new Map((laid.children ?? []).map((node) => [node.id, node]));
  const width = Math.max(320, laid.width ?? 0);
  const height = Math.max(120, laid.height ?? 0);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-labelledby="map-title map-desc" font-family="${FONT}" font-size="12">`,
    `<title id="map-title">${esc(options.title)}</title>`,
    `<desc id="map-desc">${esc(describeMap(graph))}</desc>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    '<g fill="none" stroke="' + COLOURS.edge + '" stroke-width="1.5">',
  );
  for (const edge of laid.edges ?? []) {
    for (const section of edge.sections ?? []) {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      parts.push(`<path d="M${points.map((p) => `${n(p.x)} ${n(p.y)}`).join(' L')}"/>`);
    }
  }
  parts.push('</g>');

  for (const network of graph.networks) {
    const box = at.get(`net:${network.id}`)!;
    const cidr = readCidr(network.cidr);
    parts.push(
      `<g id="${esc(`net-${network.id}`)}" transform="translate(${n(box.x!)} ${n(box.y!)})">`,
      `<rect width="${n(box.width!)}" height="${NETWORK_HEIGHT}" rx="6" fill="${COLOURS.net}" stroke="${COLOURS.netStroke}" stroke-width="2"/>`,
      `<text x="12" y="19" font-weight="600" fill="${COLOURS.text}">${esc(clip(labelOf(network), 40))}</text>`,
      `<text x="12" y="36" fill="${COLOURS.muted}">${esc(cidr.ok ? cidr.cidr.text : clip(network.cidr, 40))}</text>`,
      '</g>',
    );
  }
  for (const vm of graph.vms) {
    const box = at.get(`vm:${vm.id}`)!;
    const volumes = volumesOf.get(vm.id) ?? [];
    parts.push(
      `<g id="${esc(`vm-${vm.id}`)}" transform="translate(${n(box.x!)} ${n(box.y!)})">`,
      `<rect width="${VM_WIDTH}" height="${n(box.height!)}" rx="6" fill="${COLOURS.vm}" stroke="${COLOURS.vmStroke}" stroke-width="2"/>`,
      `<text x="12" y="20" font-weight="600" fill="${COLOURS.text}">${esc(clip(labelOf(vm), 26))}</text>`,
      `<text x="12" y="38" fill="${COLOURS.muted}">${esc(clip(vm.template + (vm.osLicence ? ` + ${vm.osLicence}` : ''), 30))}</text>`,
      `<text x="12" y="56" fill="${COLOURS.muted}">${esc(`${vm.vcpus} vCPU · ${vm.ramGb} GB RAM · ${vm.diskGb} GB disk`)}</text>`,
      ...volumes.map(
        (volume, i) =>
          `<text x="12" y="${VM_HEIGHT + 12 + i * VOLUME_ROW}" fill="${COLOURS.text}">${esc(clip(`▭ ${labelOf(volume)}: ${volume.sizeGb} GB`, 30))}</text>`,
      ),
      '</g>',
    );
  }
  for (const ip of graph.publicIps) {
    const box = at.get(`ip:${ip.id}`)!;
    parts.push(
      `<g id="${esc(`ip-${ip.id}`)}" transform="translate(${n(box.x!)} ${n(box.y!)})">`,
      `<rect width="${IP_WIDTH}" height="${IP_HEIGHT}" rx="14" fill="${COLOURS.ip}" stroke="${COLOURS.ipStroke}" stroke-width="2"/>`,
      `<text x="${IP_WIDTH / 2}" y="18" text-anchor="middle" fill="${COLOURS.text}">${esc(clip(`Public IP ${labelOf(ip)}`, 20))}</text>`,
      '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** The map in words, for screen readers and for the <desc>. */
export function describeMap(graph: DesignGraph): string {
  const count = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const sentences = [
    `${count(graph.vms.length, 'VM')} on ${count(graph.networks.length, 'network')}, ${count(graph.volumes.length, 'volume')}, ${count(graph.publicIps.length, 'public IP')}.`,
    ...graph.networks.map((net) => `Network ${labelOf(net)} (${net.cidr}).`),
    ...graph.vms.map((vm) => {
      const nets = vm.networks.map((id) => labelOf(graph.networks.find((net) => net.id === id) ?? { id }));
      const ips = graph.publicIps.filter((ip) => ip.vm === vm.id).length;
      const vols = graph.volumes.filter((v) => v.vm === vm.id).map((v) => `${labelOf(v)} ${v.sizeGb} GB`);
      return (
        `VM ${labelOf(vm)}: ${vm.template}, ${vm.vcpus} vCPU, ${vm.ramGb} GB RAM, ${vm.diskGb} GB disk` +
        (nets.length ? `, on ${nets.join(' and ')}` : ', on no network') +
        (vols.length ? `, volumes ${vols.join(', ')}` : '') +
        (ips ? `, ${count(ips, 'public IP')}` : '') +
        '.'
      );
    }),
  ];
  return sentences.join(' ');
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 does not allow. */
export function esc(text: string): string {
  return (
    text
      // Characters XML 1.0 forbids: C0 controls other than tab, newline and return; lone surrogates; U+FFFE/U+FFFF.
      .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
      .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
  );
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A coordinate with at most one decimal, written the same way every time. */
function n(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
