import type { FieldProblem } from '../errors';
import { isRetired, unitItems, type DesignCatalogItem, type DesignOffer, type DesignRole, type UnitRole } from './design-catalog';
import type { DesignGraph, DesignVm } from './design-graph';
import { cidrsOverlap, readCidr, usableHosts, type Ipv4Cidr } from './ipv4';

const ROLE_NAME: Record<DesignRole, string> = {
  'vm-template': 'a VM template',
  'os-licence': 'an OS licence',
  vcpu: 'vCPU',
  'ram-gb': 'memory (GB)',
  'storage-gb': 'storage (GB)',
  'public-ip': 'public IP address',
};

/**
 * Every problem of a well-formed design (see `readDesignGraph`) against what the client may buy,
 * each naming its field (`vms[web-1].networks`, `networks[lan].cidr`) and saying what to do. An
 * empty list means the design can be submitted. Checked: at least one VM; templates and licences
 * that exist, are of the right kind, are not retired and are sold by the client's reseller chain;
 * sizes within the template's maximum; a licence for an OS that needs one, of the template's OS;
 * every VM on at least one network of the design; CIDRs that are IPv4, do not overlap and have room
 * for the VMs connected; volumes and public IPs attached to VMs of the design; and that the catalog
 * prices vCPUs, memory, storage and public IPs at all.
 */
export function validateDesign(graph: DesignGraph, offer: DesignOffer): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  const bySku = new Map(offer.items.map((item) => [item.sku, item]));
  const notSold = new Map(offer.notSold.map((n) => [n.sku, n.by]));
  const vmIds = new Set(graph.vms.map((vm) => vm.id));
  const networkIds = new Set(graph.networks.map((n) => n.id));

  /** The item a SKU names, if it may be used as `role`; otherwise the problem is reported. */
  const usable = (sku: string, role: DesignRole, field: string): DesignCatalogItem | undefined => {
    const item = bySku.get(sku);
    if (!item) return void add(field, `${JSON.stringify(sku)} is not in the catalog: choose ${ROLE_NAME[role]} from the catalog`);
    if (item.design?.role !== role) return void add(field, `${describeItem(item)} is not ${ROLE_NAME[role]}`);
    const problem = unavailable(item);
    if (problem) return void add(field, problem);
    return item;
  };
  const unavailable = (item: DesignCatalogItem): string | undefined => {
    if (isRetired(item, offer.asOf)) return `${describeItem(item)} is retired and can no longer be ordered: choose another item`;
    const by = notSold.get(item.sku);
    if (by) return `${describeItem(item)} is not sold by ${by}: choose another item`;
    return undefined;
  };

  if (graph.vms.length === 0) add('vms', 'is empty: a design needs at least one VM');

  graph.vms.forEach((vm) => checkVm(vm, `vms[${vm.id}]`));

  function checkVm(vm: DesignVm, at: string): void {
    const template = usable(vm.template, 'vm-template', `${at}.template`);
    if (template?.design?.role === 'vm-template') {
      const limits = template.design;
      const limit = (field: 'vcpus' | 'ramGb' | 'diskGb', max: number, unit: string) => {
        if (vm[field] > max)
          add(`${at}.${field}`, `${vm[field]} is more than the ${max} ${unit} ${describeItem(template)} allows: size it down or choose a larger template`);
      };
      limit('vcpus', limits.maxVcpus, 'vCPUs');
      limit('ramGb', limits.maxRamGb, 'GB of RAM');
      limit('diskGb', limits.maxDiskGb, 'GB of boot disk');
      if (limits.licenceRequired && !vm.osLicence) add(`${at}.osLicence`, `is required: ${describeItem(template)} runs ${limits.os} and needs an OS licence`);
    }
    if (vm.osLicence) {
      const licence = usable(vm.osLicence, 'os-licence', `${at}.osLicence`);
      if (licence?.design?.role === 'os-licence' && template?.design?.role === 'vm-template' && licence.design.os !== template.design.os) {
        add(`${at}.osLicence`, `${describeItem(licence)} is a ${licence.design.os} licence, but ${describeItem(template)} runs ${template.design.os}`);
      }
    }
    if (vm.networks.length === 0) add(`${at}.networks`, 'is empty: connect the VM to at least one network');
    const listed = new Set<string>();
    for (const id of vm.networks) {
      if (!networkIds.has(id)) add(`${at}.networks`, `${JSON.stringify(id)} is not a network of this design: add it or remove the link`);
      else if (listed.has(id)) add(`${at}.networks`, `lists ${JSON.stringify(id)} twice`);
      listed.add(id);
    }
  }

  const cidrs: { id: string; cidr: Ipv4Cidr }[] = [];
  for (const network of graph.networks) {
    const field = `networks[${network.id}].cidr`;
    const reading = readCidr(network.cidr);
    if (!reading.ok) {
      add(field, reading.problem);
      continue;
    }
    const overlapping = cidrs.filter((other) => cidrsOverlap(other.cidr, reading.cidr));
    for (const other of overlapping) add(field, `${reading.cidr.text} overlaps network ${other.id} (${other.cidr.text}): give each network its own range`);
    cidrs.push({ id: network.id, cidr: reading.cidr });
    const connected = graph.vms.filter((vm) => vm.networks.includes(network.id)).length;
    const room = usableHosts(reading.cidr);
    if (connected > room) {
      add(field, `${reading.cidr.text} has room for ${room} VM${room === 1 ? '' : 's'} but ${connected} are connected: use a larger range (a shorter prefix)`);
    }
  }

  for (const volume of graph.volumes) {
    if (!vmIds.has(volume.vm)) add(`volumes[${volume.id}].vm`, `${JSON.stringify(volume.vm)} is not a VM of this design: attach the volume to one`);
  }
  for (const ip of graph.publicIps) {
    if (!vmIds.has(ip.vm)) add(`publicIps[${ip.id}].vm`, `${JSON.stringify(ip.vm)} is not a VM of this design: map the address to one`);
  }

  // Per-unit items: reported once, at the first field that needs them.
  const units = unitItems(offer);
  const firstUse: Partial<Record<UnitRole, string>> = {
    ...(graph.vms[0]
      ? { vcpu: `vms[${graph.vms[0].id}].vcpus`, 'ram-gb': `vms[${graph.vms[0].id}].ramGb`, 'storage-gb': `vms[${graph.vms[0].id}].diskGb` }
      : {}),
    ...(!graph.vms[0] && graph.volumes[0] ? { 'storage-gb': `volumes[${graph.volumes[0].id}].sizeGb` } : {}),
    ...(graph.publicIps[0] ? { 'public-ip': `publicIps[${graph.publicIps[0].id}]` } : {}),
  };
  for (const [role, field] of Object.entries(firstUse) as [UnitRole, string][]) {
    const item = units[role];
    if (!item) add(field, `cannot be priced: the catalog has no ${ROLE_NAME[role]} item (the operator must add one)`);
    else {
      const problem = unavailable(item);
      if (problem) add(field, problem);
    }
  }
  return problems;
}

export function describeItem(item: DesignCatalogItem): string {
  return `${item.sku} (${item.name})`;
}
