import type { ProvisioningPlan } from './plan';
import type { PlanDiff } from './plan-diff';

/** Where a provisioning, resize or deprovisioning stands. */
export const PROVISIONING_PHASES = [
  'starting',
  'placing',
  'networks',
  'vms',
  'attaching',
  'powering-on',
  'resizing-vms',
  'recording',
  'removing',
  'finishing',
  'undoing',
  'done',
  'failed',
] as const;
export type ProvisioningPhase = (typeof PROVISIONING_PHASES)[number];

export type StepStatus = 'pending' | 'done' | 'failed' | 'undone';

/** One step of a run, as the progress view lists it: `vm:web:create`, `network:lan`, `place`, … */
export interface ProgressStep {
  id: string;
  phase: ProvisioningPhase;
  kind?: 'network' | 'vm';
  key?: string;
}

/** The steps a provisioning of `plan` takes, in order: place, networks, then per VM create, attach (when it has more to attach), power on; record. */
export function provisionSteps(plan: ProvisioningPlan): ProgressStep[] {
  return [
    { id: 'place', phase: 'placing' },
    ...plan.networks.map((network) => ({ id: `network:${network.key}`, phase: 'networks' as const, kind: 'network' as const, key: network.key })),
    ...plan.vms.flatMap((vm) => vmSteps(plan, vm.key)),
    { id: 'record', phase: 'recording' },
  ];
}

/** The steps a resize takes for a diff. */
export function resizeSteps(target: ProvisioningPlan, diff: PlanDiff): ProgressStep[] {
  return [
    { id: 'place', phase: 'placing' },
    ...diff.addNetworks.map((network) => ({ id: `network:${network.key}`, phase: 'networks' as const, kind: 'network' as const, key: network.key })),
    ...diff.addVms.flatMap((vm) => vmSteps(target, vm.key)),
    ...diff.resizeVms.map((resize) => ({ id: `vm:${resize.key}:resize`, phase: 'resizing-vms' as const, kind: 'vm' as const, key: resize.key })),
    { id: 'record', phase: 'recording' },
    ...diff.removeVms.map((vm) => ({ id: `vm:${vm.key}:destroy`, phase: 'removing' as const, kind: 'vm' as const, key: vm.key })),
    ...diff.removeNetworks.map((network) => ({ id: `network:${network.key}:destroy`, phase: 'removing' as const, kind: 'network' as const, key: network.key })),
    { id: 'settle', phase: 'finishing' },
  ];
}

/** The steps a deprovisioning takes: destroy every VM, then every network, record the stops, release the capacity. */
export function deprovisionSteps(vmKeys: readonly string[], networkKeys: readonly string[]): ProgressStep[] {
  return [
    ...vmKeys.map((key) => ({ id: `vm:${key}:destroy`, phase: 'removing' as const, kind: 'vm' as const, key })),
    ...networkKeys.map((key) => ({ id: `network:${key}:destroy`, phase: 'removing' as const, kind: 'network' as const, key })),
    { id: 'record', phase: 'recording' },
    { id: 'release', phase: 'finishing' },
  ];
}

/** A VM needs an attach step when it has networks beyond its first, volumes or public IPs. */
export function needsAttach(plan: ProvisioningPlan, vmKey: string): boolean {
  const vm = plan.vms.find((candidate) => candidate.key === vmKey);
  return (vm?.networks.length ?? 0) > 1 || plan.volumes.some((volume) => volume.vm === vmKey) || plan.publicIps.some((ip) => ip.vm === vmKey);
}

function vmSteps(plan: ProvisioningPlan, key: string): ProgressStep[] {
  return [
    { id: `vm:${key}:create`, phase: 'vms', kind: 'vm', key },
    ...(needsAttach(plan, key) ? [{ id: `vm:${key}:attach`, phase: 'attaching' as const, kind: 'vm' as const, key }] : []),
    { id: `vm:${key}:power-on`, phase: 'powering-on', kind: 'vm', key },
  ];
}
