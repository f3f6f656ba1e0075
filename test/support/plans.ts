import type { BillingLine, PlannedVm, ProvisioningPlan } from '@wholesail/contracts';
import { randomUUID } from 'node:crypto';

/** A Linux VM of the demo catalog (1 vCPU, 1 GB RAM, a 1 GB boot disk unless told), billed per SKU. */
export function linuxVm(key: string, options: Partial<Pick<PlannedVm, 'networks' | 'vcpus' | 'ramGb' | 'diskGb' | 'billing'>> = {}): PlannedVm {
  const sizes = { vcpus: options.vcpus ?? 1, ramGb: options.ramGb ?? 1, diskGb: options.diskGb ?? 1 };
  const billing: BillingLine[] = options.billing ?? [
    { sku: 'VM-LINUX', quantity: '1' },
    { sku: 'VCPU', quantity: String(sizes.vcpus) },
    { sku: 'RAM-GB', quantity: String(sizes.ramGb) },
    { sku: 'STORAGE-SSD-GB', quantity: String(sizes.diskGb) },
  ];
  return { key, name: key, template: 'VM-LINUX', ...sizes, networks: options.networks ?? ['lan'], billing };
}

/**
 * A new solution's plan for a client of a reseller, placed on hosts with `tags`: the VMs on the
 * network `lan` unless told. `template` is the template SKU every VM asks its host for: a test's
 * own (its hosts map it), so that no other placement — an approval in another test file starting a
 * provisioning of the demo catalog's templates — can land on the test's hosts, nor its plans elsewhere.
 */
export function testPlan(
  parties: { clientId: string; resellerId: string },
  options: { tags: string[]; vms: PlannedVm[]; template: string } & Partial<Pick<ProvisioningPlan, 'networks' | 'volumes' | 'publicIps'>>,
): ProvisioningPlan {
  return {
    solutionId: randomUUID(),
    ...parties,
    designVersionId: randomUUID(),
    designVersionNo: 1,
    placement: { tags: options.tags },
    networks: options.networks ?? [{ key: 'lan', name: 'LAN', cidr: '10.20.0.0/24' }],
    vms: options.vms.map((vm) => ({ ...vm, template: options.template })),
    volumes: options.volumes ?? [],
    publicIps: options.publicIps ?? [],
  };
}
