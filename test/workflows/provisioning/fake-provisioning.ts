import { ApplicationFailure } from '@temporalio/common';
import type { ClaimEnvironmentInput, ClaimEnvironmentResult, EnvironmentOutcome, ProvisioningActivities, RunRef } from '@wholesail/contracts';
import {
  claimDecision,
  isDomainError,
  planNeeds,
  type EnvironmentState,
  type PlannedResourceKind,
  type ProvisioningPlan,
  type ResourceState,
  type VmSizes,
} from '@wholesail/domain';

/** One call of an activity, as the test sees it. */
export interface Call {
  name: keyof ProvisioningActivities;
  key?: string;
  step?: string;
  undo?: boolean;
}

/** A failure to inject: the activity (and key) fails `times` times (always when absent), retryable or not. */
export interface InjectedFailure {
  activity: keyof ProvisioningActivities;
  key?: string;
  times?: number;
  retryable?: boolean;
  /** Fail after the work was done (a crash between the hypervisor call and the record). */
  after?: boolean;
  /** Fail the undo calls (and only them). */
  undo?: boolean;
  type?: string;
}

interface FakeVm {
  vcpus: number;
  ramGb: number;
  diskGb: number;
  power: 'on' | 'off';
}

/**
 * The provisioning activities as an in-memory world for workflow tests: one environment record
 * (claimed with the domain's own claim rule), its resources, a hypervisor (VMs and networks by
 * name, creates idempotent by name as the drivers are), a host's reserved capacity and the resource
 * events recorded. Failures are injected per activity and key; every call is logged in order.
 */
export class FakeProvisioning {
  readonly calls: Call[] = [];
  readonly failures: InjectedFailure[] = [];
  readonly vms = new Map<string, FakeVm>();
  readonly networks = new Set<string>();
  reserved = { vcpu: 0, ramGb: 0, storageGb: 0 };
  readonly events: { resourceId: string; kind: string; quantity: string | null }[] = [];
  env?: {
    state: EnvironmentState;
    workflowId: string;
    runId: string;
    designVersionId: string;
    plan: ProvisioningPlan;
    target?: ProvisioningPlan;
    placed: boolean;
  };
  readonly resources = new Map<string, ResourceState>();
  /** Resolves when a gated activity may go on. */
  gate?: { activity: keyof ProvisioningActivities; key?: string; release: Promise<void>; reached: () => void };
  private readonly failed = new Map<InjectedFailure, number>();

  readonly activities: ProvisioningActivities = {
    claimEnvironment: async (input) => this.call('claimEnvironment', {}, () => this.claim(input)),
    placeEnvironment: async (input) =>
      this.call('placeEnvironment', input, () => {
        this.owner(input.run);
        if (!this.env!.placed) {
          const need = planNeeds(this.env!.plan);
          this.reserved = {
            vcpu: this.reserved.vcpu + need.vcpu,
            ramGb: this.reserved.ramGb + need.ramGb,
            storageGb: this.reserved.storageGb + need.storageGb,
          };
          this.env!.placed = true;
        }
        return { hostId: 'host-1', hostName: 'fake-host', kind: 'vsphere' };
      }),
    createEnvironmentNetwork: async (input) =>
      this.call('createEnvironmentNetwork', input, () => {
        this.owner(input.run);
        this.networks.add(input.key);
        this.resources.set(`network:${input.key}`, 'running');
        return { hypervisorId: `net-${input.key}` };
      }),
    createEnvironmentVm: async (input) =>
      this.call('createEnvironmentVm', input, () => {
        this.owner(input.run);
        const spec = this.building().vms.find((vm) => vm.key === input.key)!;
        if (!spec.networks.every((network) => this.networks.has(network))) throw new Error(`network of ${input.key} missing`);
        if (!this.vms.has(input.key)) this.vms.set(input.key, { vcpus: spec.vcpus, ramGb: spec.ramGb, diskGb: spec.diskGb, power: 'off' });
        this.resources.set(`vm:${input.key}`, 'created');
        return { hypervisorId: `vm-${input.key}` };
      }),
    attachEnvironmentVm: async (input) => this.call('attachEnvironmentVm', input, () => undefined),
    powerOnEnvironmentVm: async (input) =>
      this.call('powerOnEnvironmentVm', input, () => {
        this.owner(input.run);
        this.vms.get(input.key)!.power = 'on';
        this.resources.set(`vm:${input.key}`, 'running');
      }),
    resizeEnvironmentVm: async (input) =>
      this.call('resizeEnvironmentVm', input, () => {
        this.owner(input.run);
        const vm = this.vms.get(input.key)!;
        const to: VmSizes = input.to;
        Object.assign(vm, { vcpus: to.vcpus, ramGb: to.ramGb, diskGb: Math.max(vm.diskGb, to.diskGb), power: 'on' });
      }),
    destroyEnvironmentVm: async (input) =>
      this.call('destroyEnvironmentVm', input, () => {
        this.owner(input.run);
        this.vms.delete(input.key);
        this.resources.set(`vm:${input.key}`, 'destroyed');
      }),
    destroyEnvironmentNetwork: async (input) =>
      this.call('destroyEnvironmentNetwork', input, () => {
        this.owner(input.run);
        this.networks.delete(input.key);
        this.resources.set(`network:${input.key}`, 'destroyed');
      }),
    recordEnvironmentUsage: async (input) =>
      this.call('recordEnvironmentUsage', input, () => {
        this.owner(input.run);
        for (const [id, state] of this.resources) {
          const started =
            this.events.some((e) => e.resourceId === id && e.kind === 'start') && !this.events.some((e) => e.resourceId === id && e.kind === 'stop');
          if (state === 'running' && !started) this.events.push({ resourceId: id, kind: 'start', quantity: '1' });
          if (state === 'destroyed' && started) this.events.push({ resourceId: id, kind: 'stop', quantity: null });
        }
        return { recorded: this.events.length };
      }),
    growEnvironmentCapacity: async (input) =>
      this.call('growEnvironmentCapacity', input, () => {
        const before = planNeeds(this.env!.plan);
        const after = planNeeds(this.building());
        this.reserved = {
          vcpu: Math.max(before.vcpu, after.vcpu),
          ramGb: Math.max(before.ramGb, after.ramGb),
          storageGb: Math.max(before.storageGb, after.storageGb),
        };
      }),
    settleEnvironmentCapacity: async (input) =>
      this.call('settleEnvironmentCapacity', input, () => {
        const live = [...this.vms.values()];
        this.reserved = {
          vcpu: live.reduce((sum, vm) => sum + vm.vcpus, 0),
          ramGb: live.reduce((sum, vm) => sum + vm.ramGb, 0),
          storageGb: live.reduce((sum, vm) => sum + vm.diskGb, 0),
        };
      }),
    releaseEnvironmentCapacity: async (input) =>
      this.call('releaseEnvironmentCapacity', input, () => {
        if (this.env?.placed) this.reserved = { vcpu: 0, ramGb: 0, storageGb: 0 };
      }),
    recordEnvironmentStep: async (input) => this.call('recordEnvironmentStep', input, () => undefined),
    finishEnvironment: async (input) =>
      this.call('finishEnvironment', {}, (): EnvironmentOutcome => {
        this.owner(input.run);
        const env = this.env!;
        env.state = input.state;
        if (env.target && input.state === 'running' && !input.error) env.plan = env.target;
        env.target = undefined;
        return {
          solutionId: input.solutionId,
          operation: 'provision',
          status: input.state === 'running' && input.error ? 'unchanged' : (input.state as EnvironmentOutcome['status']),
          designVersionId: env.plan.designVersionId,
          ...(input.error ? { error: input.error } : {}),
        };
      }),
  };

  fail(failure: InjectedFailure): this {
    this.failures.push(failure);
    return this;
  }

  /** Holds the first call of `activity` (for `key`) until the returned release function is called. */
  hold(activity: keyof ProvisioningActivities, key?: string): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.gate = { activity, key, release: new Promise<void>((resolve) => (release = resolve)), reached };
    return { reached: reachedPromise, release };
  }

  names(): string[] {
    return this.calls.map((call) => `${call.undo ? 'undo:' : ''}${call.name}${call.key ? `:${call.key}` : ''}`);
  }

  private building(): ProvisioningPlan {
    return this.env!.target ?? this.env!.plan;
  }

  private owner(run: RunRef): void {
    if (this.env?.workflowId !== run.workflowId || this.env?.runId !== run.runId) {
      throw ApplicationFailure.create({ type: 'ENVIRONMENT_BUSY', message: 'not the owner', nonRetryable: true });
    }
  }

  private claim(input: ClaimEnvironmentInput): ClaimEnvironmentResult {
    let decision: 'claim' | 'resume' | 'done';
    try {
      decision = claimDecision(
        this.env && { state: this.env.state, workflowId: this.env.workflowId, runId: this.env.runId, designVersionId: this.env.designVersionId },
        {
          operation: input.operation,
          workflowId: input.run.workflowId,
          runId: input.run.runId,
          designVersionId: input.plan?.designVersionId,
        },
      );
    } catch (error) {
      if (isDomainError(error)) throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
      throw error;
    }
    if (decision === 'claim') {
      const state: EnvironmentState = input.operation === 'provision' ? 'provisioning' : input.operation === 'resize' ? 'resizing' : 'deprovisioning';
      if (input.operation === 'provision') {
        this.env = { state, ...input.run, designVersionId: input.plan!.designVersionId, plan: input.plan!, placed: false };
        this.resources.clear();
      } else Object.assign(this.env!, { state, ...input.run, ...(input.plan ? { target: input.plan, designVersionId: input.plan.designVersionId } : {}) });
    }
    const live = (kind: PlannedResourceKind) =>
      [...this.resources].filter(([id, state]) => id.startsWith(`${kind}:`) && state !== 'destroyed' && state !== 'pending').map(([id]) => id.split(':')[1]);
    return {
      outcome: decision === 'done' ? 'done' : 'claimed',
      state: this.env!.state,
      generation: 1,
      plan: this.env!.plan,
      hostId: 'host-1',
      hostName: 'fake-host',
      liveVms: live('vm'),
      liveNetworks: live('network'),
    };
  }

  private async call<T>(name: keyof ProvisioningActivities, input: { key?: string; step?: string; undo?: boolean }, work: () => T): Promise<T> {
    this.calls.push({ name, ...(input.key ? { key: input.key } : {}), ...(input.step ? { step: input.step } : {}), ...(input.undo ? { undo: true } : {}) });
    if (this.gate && this.gate.activity === name && (this.gate.key === undefined || this.gate.key === input.key)) {
      const gate = this.gate;
      this.gate = undefined;
      gate.reached();
      await gate.release;
    }
    const failure = this.failures.find((f) => f.activity === name && (f.key === undefined || f.key === input.key) && !input.undo === !f.undo);
    const due = failure && (failure.times === undefined || (this.failed.get(failure) ?? 0) < failure.times);
    const raise = () => {
      this.failed.set(failure!, (this.failed.get(failure!) ?? 0) + 1);
      throw ApplicationFailure.create({
        type: failure!.type ?? (failure!.retryable ? 'HYPERVISOR_UNREACHABLE' : 'HYPERVISOR_FAULT'),
        message: `injected failure of ${name}${input.key ? ` for ${input.key}` : ''}`,
        nonRetryable: !failure!.retryable,
      });
    };
    if (due && !failure!.after) raise();
    const result = work();
    if (due && failure!.after) raise();
    return result;
  }
}
