import type { BillOfMaterialsLine } from '../pricing/quote';
import { isRetired, unitItems, type DesignCatalogItem, type DesignOffer, type DesignRole } from './design-catalog';
import type { DesignGraph } from './design-graph';

export interface DesignBillOfMaterials {
  /** One line per component and priced size, `ref` naming the design field it prices (e.g. `vms[web-1].vcpus`). */
  lines: BillOfMaterialsLine[];
  /** Fields that could not be priced (an unknown, retired or unsold item): the quote leaves them out. */
  unpriced: string[];
}

/**
 * The bill of materials of a design for the pricing engine, from the items' design roles (never
 * from SKUs written here): per VM its template (1), vCPUs, GB of RAM and GB of boot disk, and its
 * OS licence (1, or one per vCPU); per volume its GB of storage; per public IP one address. Lines
 * stay per component, as usage will be billed per resource, so the quote's total is what a full
 * month of the running solution costs, line for line. Zero quantities are left out.
 */
export function billOfMaterials(graph: DesignGraph, offer: DesignOffer): DesignBillOfMaterials {
  const bySku = new Map(offer.items.map((item) => [item.sku, item]));
  const notSold = new Set(offer.notSold.map((n) => n.sku));
  const units = unitItems(offer);
  const lines: BillOfMaterialsLine[] = [];
  const unpriced: string[] = [];
  const orderable = (item: DesignCatalogItem | undefined, role: DesignRole): item is DesignCatalogItem =>
    item !== undefined && item.design?.role === role && !isRetired(item, offer.asOf) && !notSold.has(item.sku);
  const add = (item: DesignCatalogItem | undefined, role: DesignRole, quantity: number, ref: string) => {
    if (quantity <= 0) return;
    if (orderable(item, role)) lines.push({ sku: item.sku, quantity: String(quantity), ref });
    else unpriced.push(ref);
  };

  for (const vm of graph.vms) {
    const at = `vms[${vm.id}]`;
    add(bySku.get(vm.template), 'vm-template', 1, `${at}.template`);
    add(units.vcpu, 'vcpu', vm.vcpus, `${at}.vcpus`);
    add(units['ram-gb'], 'ram-gb', vm.ramGb, `${at}.ramGb`);
    add(units['storage-gb'], 'storage-gb', vm.diskGb, `${at}.diskGb`);
    if (vm.osLicence) {
      const licence = bySku.get(vm.osLicence);
      const perVcpu = licence?.design?.role === 'os-licence' && licence.design.per === 'vcpu';
      add(licence, 'os-licence', perVcpu ? vm.vcpus : 1, `${at}.osLicence`);
    }
  }
  for (const volume of graph.volumes) add(units['storage-gb'], 'storage-gb', volume.sizeGb, `volumes[${volume.id}].sizeGb`);
  for (const ip of graph.publicIps) add(units['public-ip'], 'public-ip', 1, `publicIps[${ip.id}]`);
  return { lines, unpriced };
}

/** The SKUs a design names or may price: what a loader must fetch for validation and the quote. */
export function skusOf(graph: DesignGraph): string[] {
  return [...new Set(graph.vms.flatMap((vm) => [vm.template, ...(vm.osLicence ? [vm.osLicence] : [])]))].sort();
}
