import { DomainError, type FieldProblem } from '../errors';
import { type Capacity } from '../hosts/capacity';
import { ProvisioningErrorCode } from './provisioning-errors';

/**
 * What provisioning builds for one approved design version: plain JSON, the input of the
 * provisioning and resize workflows. Every resource has a `key` unique within its kind (the
 * design's component id, e.g. "web-1"), from which the hypervisor names are derived, and the
 * billing lines its life is recorded with as resource events (SKU and quantity per month).
 */
export interface ProvisioningPlan {
  solutionId: string;
  clientId: string;
  /** The client's reseller (whose portal shows the environment). */
  resellerId: string;
  designVersionId: string;
  /** The version's number, for people reading progress and events. */
  designVersionNo?: number;
  /** Only hosts carrying every one of these tags take the environment. */
  placement?: { tags?: string[] };
  networks: PlannedNetwork[];
  vms: PlannedVm[];
  volumes: PlannedVolume[];
  publicIps: PlannedPublicIp[];
}

/** A billable SKU of a resource and its quantity (a decimal string, e.g. "4" vCPUs). */
export interface BillingLine {
  sku: string;
  quantity: string;
}

export interface PlannedNetwork {
  key: string;
  name: string;
  /** IPv4 CIDR of the design (kept for the environment view; bridge and port-group networks do no IPAM). */
  cidr: string;
  billing?: BillingLine[];
}

export interface PlannedVm {
  key: string;
  name: string;
  /** The catalog SKU of the VM template (e.g. "VM-LINUX"); each host maps it to a template of its own. */
  template: string;
  vcpus: number;
  ramGb: number;
  /** The boot disk in GB. */
  diskGb: number;
  /** Keys of the networks the VM's NICs attach to, the first one first. */
  networks: string[];
  osLicenceSku?: string | null;
  /** Template, vCPU, RAM, disk and licence lines. */
  billing: BillingLine[];
}

export interface PlannedVolume {
  key: string;
  name: string;
  /** Key of the VM it is attached to. */
  vm: string;
  sizeGb: number;
  billing?: BillingLine[];
}

export interface PlannedPublicIp {
  key: string;
  name: string;
  /** Key of the VM the address maps to. */
  vm: string;
  billing?: BillingLine[];
}

export type PlannedResourceKind = 'network' | 'vm' | 'volume' | 'public-ip';
export const PLANNED_RESOURCE_KINDS: readonly PlannedResourceKind[] = ['network', 'vm', 'volume', 'public-ip'];

/** How big a plan may get: a design's limits (libs/domain/src/designs). */
export const PLAN_LIMITS = { vms: 200, networks: 50, volumes: 400, publicIps: 200, size: 1_000_000, text: 100, billingLines: 10 } as const;

/** A key: lower-case letters, digits and dashes (a design component id). */
export const PLAN_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const QUANTITY = /^\d{1,14}(\.\d{1,6})?$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Every problem of a plan, each naming its field (`vms[web-1].networks`), or none. */
export function planProblems(plan: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  if (!isRecord(plan)) return [{ field: 'plan', problem: 'must be an object' }];
  for (const id of ['solutionId', 'clientId', 'resellerId', 'designVersionId'] as const) {
    if (typeof plan[id] !== 'string' || !UUID.test(plan[id])) add(id, 'must be a UUID');
  }
  if (plan.designVersionNo !== undefined && !(Number.isInteger(plan.designVersionNo) && (plan.designVersionNo as number) >= 1)) {
    add('designVersionNo', 'must be a whole number ≥ 1');
  }
  if (plan.placement !== undefined) {
    if (!isRecord(plan.placement)) add('placement', 'must be an object with tags');
    else if (plan.placement.tags !== undefined && !(Array.isArray(plan.placement.tags) && plan.placement.tags.every((t) => typeof t === 'string'))) {
      add('placement.tags', 'must be a list of host tags');
    }
  }

  const lists: Record<'networks' | 'vms' | 'volumes' | 'publicIps', Record<string, unknown>[]> = { networks: [], vms: [], volumes: [], publicIps: [] };
  for (const kind of ['networks', 'vms', 'volumes', 'publicIps'] as const) {
    const list = plan[kind];
    if (!Array.isArray(list)) {
      add(kind, 'must be a list');
      continue;
    }
    if (list.length > PLAN_LIMITS[kind]) add(kind, `must have at most ${PLAN_LIMITS[kind]} entries`);
    const seen = new Set<string>();
    list.slice(0, PLAN_LIMITS[kind]).forEach((entry, index) => {
      if (!isRecord(entry)) return add(`${kind}[${index}]`, 'must be an object');
      const at = fieldOf(kind, entry, index);
      if (typeof entry.key !== 'string' || !PLAN_KEY.test(entry.key)) add(`${at}.key`, 'must be lower-case letters, digits and dashes (up to 63)');
      else if (seen.has(entry.key)) add(`${at}.key`, `is used by another entry of ${kind}`);
      else seen.add(entry.key);
      if (typeof entry.name !== 'string' || entry.name.trim() === '' || entry.name.length > PLAN_LIMITS.text || CONTROL.test(entry.name)) {
        add(`${at}.name`, `must be 1–${PLAN_LIMITS.text} printable characters`);
      }
      billingProblems(entry.billing, `${at}.billing`, kind !== 'vms', add);
      lists[kind].push(entry);
    });
  }
  if (Array.isArray(plan.vms) && plan.vms.length === 0) add('vms', 'must have at least one VM');

  const networkKeys = new Set(lists.networks.map((n) => n.key));
  const vmKeys = new Set(lists.vms.map((vm) => vm.key));
  lists.networks.forEach((network, index) => {
    const at = fieldOf('networks', network, index);
    const match = typeof network.cidr === 'string' ? CIDR.exec(network.cidr) : null;
    if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32)
      add(`${at}.cidr`, 'must be an IPv4 CIDR such as 10.0.1.0/24');
  });
  lists.vms.forEach((vm, index) => {
    const at = fieldOf('vms', vm, index);
    if (typeof vm.template !== 'string' || !SKU.test(vm.template)) add(`${at}.template`, 'must be the SKU of a VM template');
    for (const size of ['vcpus', 'ramGb', 'diskGb'] as const) sizeProblem(vm[size], `${at}.${size}`, add);
    if (vm.osLicenceSku !== undefined && vm.osLicenceSku !== null && !(typeof vm.osLicenceSku === 'string' && SKU.test(vm.osLicenceSku))) {
      add(`${at}.osLicenceSku`, 'must be an OS licence SKU or null');
    }
    if (!Array.isArray(vm.networks) || vm.networks.length === 0) add(`${at}.networks`, 'must list at least one network key');
    else {
      vm.networks.forEach((key, i) => {
        if (typeof key !== 'string' || !networkKeys.has(key)) add(`${at}.networks[${i}]`, 'must be the key of a network of the plan');
      });
      if (new Set(vm.networks).size !== vm.networks.length) add(`${at}.networks`, 'must not name a network twice');
    }
  });
  lists.volumes.forEach((volume, index) => {
    const at = fieldOf('volumes', volume, index);
    sizeProblem(volume.sizeGb, `${at}.sizeGb`, add);
    if (typeof volume.vm !== 'string' || !vmKeys.has(volume.vm)) add(`${at}.vm`, 'must be the key of a VM of the plan');
  });
  lists.publicIps.forEach((ip, index) => {
    if (typeof ip.vm !== 'string' || !vmKeys.has(ip.vm)) add(`${fieldOf('publicIps', ip, index)}.vm`, 'must be the key of a VM of the plan');
  });
  return problems;
}

/** The plan, or PROVISIONING_INVALID_PLAN listing every problem. */
export function assertValidPlan(plan: unknown): asserts plan is ProvisioningPlan {
  const problems = planProblems(plan);
  if (problems.length) {
    throw new DomainError(
      ProvisioningErrorCode.InvalidPlan,
      `the provisioning plan is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
      problems,
    );
  }
}

/** Capacity one VM takes on its host: its vCPUs, RAM, boot disk and attached volumes. */
export function vmNeeds(plan: ProvisioningPlan, vm: PlannedVm): Capacity {
  const volumes = plan.volumes.filter((volume) => volume.vm === vm.key).reduce((sum, volume) => sum + volume.sizeGb, 0);
  return { vcpu: vm.vcpus, ramGb: vm.ramGb, storageGb: vm.diskGb + volumes };
}

/** What the whole plan takes on one host (the environment is placed as a whole: its networks are local to the host). */
export function planNeeds(plan: ProvisioningPlan): Capacity {
  return plan.vms.reduce(
    (sum, vm) => {
      const need = vmNeeds(plan, vm);
      return { vcpu: sum.vcpu + need.vcpu, ramGb: sum.ramGb + need.ramGb, storageGb: sum.storageGb + need.storageGb };
    },
    { vcpu: 0, ramGb: 0, storageGb: 0 },
  );
}

/** The VM template SKUs a host must offer for the plan, sorted. */
export function planTemplates(plan: ProvisioningPlan): string[] {
  return [...new Set(plan.vms.map((vm) => vm.template))].sort();
}

/** The billing lines of one planned resource (none for an unpriced one), as plain {sku, quantity}. */
export function billingOf(resource: { billing?: readonly BillingLine[] } | Record<string, unknown>): BillingLine[] {
  return ((resource as { billing?: readonly BillingLine[] }).billing ?? []).map(({ sku, quantity }) => ({ sku, quantity }));
}

/** The billing lines as one comparable text ("RAM-GB=4,VCPU=2"), whatever their order. */
export function billingKey(resource: { billing?: readonly BillingLine[] } | Record<string, unknown>): string {
  return billingOf(resource)
    .map((line) => `${line.sku}=${line.quantity}`)
    .sort()
    .join(',');
}

function billingProblems(value: unknown, field: string, optional: boolean, add: (field: string, problem: string) => void): void {
  if (value === undefined && optional) return;
  if (!Array.isArray(value)) return add(field, 'must be a list of {sku, quantity}');
  if (value.length > PLAN_LIMITS.billingLines) return add(field, `must have at most ${PLAN_LIMITS.billingLines} lines`);
  const skus = new Set<string>();
  value.forEach((line, i) => {
    if (!isRecord(line)) return add(`${field}[${i}]`, 'must be {sku, quantity}');
    if (typeof line.sku !== 'string' || !SKU.test(line.sku)) add(`${field}[${i}].sku`, 'must be a catalog SKU');
    else if (skus.has(line.sku)) add(`${field}[${i}].sku`, 'is billed twice for this resource');
    else skus.add(line.sku);
    if (typeof line.quantity !== 'string' || !QUANTITY.test(line.quantity) || /^0+(\.0+)?$/.test(line.quantity)) {
      add(`${field}[${i}].quantity`, 'must be a positive decimal string, e.g. "4"');
    }
  });
}

function sizeProblem(value: unknown, field: string, add: (field: string, problem: string) => void): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= PLAN_LIMITS.size)) {
    add(field, `must be a whole number from 1 to ${PLAN_LIMITS.size}`);
  }
}

function fieldOf(kind: string, entry: Record<string, unknown>, index: number): string {
  return typeof entry.key === 'string' && PLAN_KEY.test(entry.key) ? `${kind}[${entry.key}]` : `${kind}[${index}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
