import { billOfMaterials } from '../designs/bill-of-materials';
import type { DesignOffer } from '../designs/design-catalog';
import { labelOf, type DesignGraph } from '../designs/design-graph';
import { parseDecimal } from '../money';
import type { BillingLine, ProvisioningPlan } from './plan';

export interface PlanIdentity {
  solutionId: string;
  clientId: string;
  resellerId: string;
  designVersionId: string;
  designVersionNo?: number;
}

/**
 * The provisioning plan of an approved design version: every component keeps its id as its key
 * and its label as its name, and carries the billing lines the design's bill of materials gives it
 * (the same lines its quote priced: template, vCPU, RAM and boot disk, licence per VM or per vCPU,
 * GB per volume, one address per public IP), so usage bills what the client accepted. A component
 * whose item could not be priced has no line for it (validation refuses such a version before it
 * can be approved). Pure: the caller loads the graph and the offer.
 */
export function planFromDesign(graph: DesignGraph, offer: DesignOffer, identity: PlanIdentity): ProvisioningPlan {
  const billing = new Map<string, BillingLine[]>();
  for (const line of billOfMaterials(graph, offer).lines) {
    // ref: `vms[web-1].vcpus`, `volumes[data].sizeGb`, `publicIps[ip-1]`: the component is what precedes the first "]".
    const component = (line.ref ?? '').slice(0, (line.ref ?? '').indexOf(']') + 1);
    const lines = billing.get(component) ?? [];
    const same = lines.find((existing) => existing.sku === line.sku);
    if (same) same.quantity = parseDecimal(same.quantity, 'quantity').plus(parseDecimal(line.quantity, 'quantity')).toFixed();
    else lines.push({ sku: line.sku, quantity: parseDecimal(line.quantity, 'quantity').toFixed() });
    billing.set(component, lines);
  }
  const linesOf = (kind: string, id: string) => billing.get(`${kind}[${id}]`) ?? [];
  return {
    ...identity,
    networks: graph.networks.map((network) => ({ key: network.id, name: labelOf(network), cidr: network.cidr, billing: linesOf('networks', network.id) })),
    vms: graph.vms.map((vm) => ({
      key: vm.id,
      name: labelOf(vm),
      template: vm.template,
      vcpus: vm.vcpus,
      ramGb: vm.ramGb,
      diskGb: vm.diskGb,
      networks: [...vm.networks],
      osLicenceSku: vm.osLicence ?? null,
      billing: linesOf('vms', vm.id),
    })),
    volumes: graph.volumes.map((volume) => ({
      key: volume.id,
      name: labelOf(volume),
      vm: volume.vm,
      sizeGb: volume.sizeGb,
      billing: linesOf('volumes', volume.id),
    })),
    publicIps: graph.publicIps.map((ip) => ({ key: ip.id, name: labelOf(ip), vm: ip.vm, billing: linesOf('publicIps', ip.id) })),
  };
}
