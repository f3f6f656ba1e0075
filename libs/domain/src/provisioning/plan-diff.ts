import type { FieldProblem } from '../errors';
import { billingKey, type PlannedNetwork, type PlannedPublicIp, type PlannedVm, type ProvisioningPlan } from './plan';

export interface VmSizes {
  vcpus: number;
  ramGb: number;
  diskGb: number;
}

export interface VmResize {
  key: string;
  from: VmSizes;
  to: VmSizes;
}

/**
 * A new design version applied to a running environment, as a diff of the two plans. Resources
 * are matched by kind and key. What the drivers cannot change in place is `unsupported` (a VM's
 * template, its networks, its volumes, a boot disk that would shrink): such a resize is refused
 * before anything changes.
 */
export interface PlanDiff {
  addNetworks: PlannedNetwork[];
  removeNetworks: PlannedNetwork[];
  addVms: PlannedVm[];
  removeVms: PlannedVm[];
  resizeVms: VmResize[];
  /** Public IPs of VMs that stay (those of added or removed VMs come and go with them). */
  addPublicIps: PlannedPublicIp[];
  removePublicIps: PlannedPublicIp[];
  /** Resources whose billing lines differ (same key, same kind, other SKUs or quantities). */
  rebilled: { kind: 'network' | 'vm' | 'volume' | 'public-ip'; key: string }[];
  unsupported: FieldProblem[];
}

export function diffPlans(current: ProvisioningPlan, target: ProvisioningPlan): PlanDiff {
  const byKey = <T extends { key: string }>(list: readonly T[]) => new Map(list.map((item) => [item.key, item]));
  const currentVms = byKey(current.vms);
  const targetVms = byKey(target.vms);
  const currentNetworks = byKey(current.networks);
  const targetNetworks = byKey(target.networks);
  const unsupported: FieldProblem[] = [];
  const resizeVms: VmResize[] = [];
  const rebilled: PlanDiff['rebilled'] = [];

  for (const vm of target.vms) {
    const before = currentVms.get(vm.key);
    if (!before) continue;
    const at = `vms[${vm.key}]`;
    if (before.template !== vm.template)
      unsupported.push({ field: `${at}.template`, problem: `cannot change from ${before.template} in place: add a new VM instead` });
    if (vm.diskGb < before.diskGb) unsupported.push({ field: `${at}.diskGb`, problem: `cannot shrink from ${before.diskGb} GB: disks only grow` });
    if (before.networks.join(',') !== vm.networks.join(','))
      unsupported.push({ field: `${at}.networks`, problem: 'cannot change on an existing VM: add a new VM instead' });
    const volumes = (plan: ProvisioningPlan) =>
      plan.volumes
        .filter((volume) => volume.vm === vm.key)
        .map((volume) => `${volume.key}:${volume.sizeGb}`)
        .sort()
        .join(',');
    if (volumes(current) !== volumes(target))
      unsupported.push({ field: `${at}`, problem: 'its volumes cannot change on an existing VM: add a new VM instead' });
    const from = sizes(before);
    const to = sizes(vm);
    if (from.vcpus !== to.vcpus || from.ramGb !== to.ramGb || from.diskGb !== to.diskGb) resizeVms.push({ key: vm.key, from, to });
    if (billingKey(before) !== billingKey(vm)) rebilled.push({ kind: 'vm', key: vm.key });
  }
  for (const network of target.networks) {
    const before = currentNetworks.get(network.key);
    if (before && billingKey(before) !== billingKey(network)) rebilled.push({ kind: 'network', key: network.key });
  }
  const stays = (vmKey: string) => currentVms.has(vmKey) && targetVms.has(vmKey);
  const currentIps = byKey(current.publicIps);
  const targetIps = byKey(target.publicIps);
  for (const ip of target.publicIps) {
    const before = currentIps.get(ip.key);
    if (before && before.vm !== ip.vm) unsupported.push({ field: `publicIps[${ip.key}].vm`, problem: 'cannot move to another VM: use a new key' });
    else if (before && billingKey(before) !== billingKey(ip)) rebilled.push({ kind: 'public-ip', key: ip.key });
  }
  const volumesByKey = byKey(current.volumes);
  for (const volume of target.volumes) {
    const before = volumesByKey.get(volume.key);
    if (before && before.vm !== volume.vm) unsupported.push({ field: `volumes[${volume.key}].vm`, problem: 'cannot move to another VM: use a new key' });
    else if (before && stays(volume.vm) && billingKey(before) !== billingKey(volume)) rebilled.push({ kind: 'volume', key: volume.key });
  }

  return {
    addNetworks: target.networks.filter((network) => !currentNetworks.has(network.key)),
    removeNetworks: current.networks.filter((network) => !targetNetworks.has(network.key)),
    addVms: target.vms.filter((vm) => !currentVms.has(vm.key)),
    removeVms: current.vms.filter((vm) => !targetVms.has(vm.key)),
    resizeVms,
    addPublicIps: target.publicIps.filter((ip) => !currentIps.has(ip.key) && stays(ip.vm)),
    removePublicIps: current.publicIps.filter((ip) => !targetIps.has(ip.key) && stays(ip.vm)),
    rebilled,
    unsupported,
  };
}

/** True when the diff changes nothing (only names or CIDRs differ). */
export function isEmptyDiff(diff: PlanDiff): boolean {
  return (
    diff.addNetworks.length + diff.removeNetworks.length + diff.addVms.length + diff.removeVms.length + diff.resizeVms.length === 0 &&
    diff.addPublicIps.length + diff.removePublicIps.length + diff.rebilled.length === 0
  );
}

function sizes(vm: PlannedVm): VmSizes {
  return { vcpus: vm.vcpus, ramGb: vm.ramGb, diskGb: vm.diskGb };
}
