import type { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { billingOf, isDomainError, type EnvironmentState, type ProvisioningPlan } from '@wholesail/domain';
import { planParties } from './environment-records.service';
import { HypervisorDrivers, withHypervisorTimeout, type PowerState, type VmInfo } from '@wholesail/hypervisors';
import { Environment, ProvisionedResource, ProvisioningStep, type Party } from '@wholesail/persistence';

/** How long the environments API waits for a hypervisor before it says "unknown". */
export const LIVE_STATE_TIMEOUT_MS = 3_000;

export interface LiveState {
  /** What the hypervisor says now: power state, `missing` (no such VM), or `unknown` (the host did not answer in time). */
  power: PowerState | 'missing' | 'unknown';
  vcpus?: number;
  ramGb?: number;
  diskGb?: number;
  dataDisksGb?: number[];
  networks?: string[];
  checkedAt: string;
  /** Why the state is unknown. */
  error?: { code: string; message: string };
}

export interface ResourceView {
  kind: ProvisionedResource['kind'];
  key: string;
  name: string;
  state: ProvisionedResource['state'];
  hypervisorName: string | null;
  hypervisorId: string | null;
  vmKey: string | null;
  vcpus: number | null;
  ramGb: number | null;
  diskGb: number | null;
  /** Billing lines of its design version (SKU and quantity). */
  billing: { sku: string; quantity: string }[];
  startedAt: string | null;
  stoppedAt: string | null;
  /** VMs only, and only when asked for: the hypervisor's own view. */
  live?: LiveState;
}

export interface OperationView {
  operation: Environment['operation'];
  workflowId: string;
  phase: string;
  stepsDone: number;
  stepsTotal: number;
  running: boolean;
  startedAt: string;
  finishedAt: string | null;
  requestedBy: string;
  error: { code: string; message: string } | null;
}

export interface EnvironmentView {
  solutionId: string;
  clientId: string;
  clientName: string;
  resellerId: string;
  state: EnvironmentState;
  generation: number;
  designVersionId: string;
  designVersionNo: number | null;
  /** Operator callers only: where it runs. */
  host?: { id: string; name: string; kind: string } | null;
  operation: OperationView;
  resources: ResourceView[];
  createdAt: string;
  updatedAt: string;
}

export interface StepView {
  step: string;
  phase: string;
  status: ProvisioningStep['status'];
  message: string | null;
  at: string;
}

export interface ProgressView extends OperationView {
  solutionId: string;
  state: EnvironmentState;
  /** What happened so far in this operation, oldest first. */
  steps: StepView[];
  resources: Pick<ResourceView, 'kind' | 'key' | 'name' | 'state' | 'hypervisorId'>[];
}

/**
 * Reads of environments for the API: records, the progress of the running (or last) operation
 * from the steps the activities record, and the live state of VMs through the host's driver with
 * a short timeout. Who may read which environment is the caller's business (the API checks tenancy
 * on the client first); this service reads what it is asked for.
 */
@Injectable()
export class EnvironmentViews {
  constructor(
    private readonly em: EntityManager,
    private readonly drivers: HypervisorDrivers,
  ) {}

  async list(filter: {
    clients: FilterQuery<Party>;
    clientId?: string;
    state?: EnvironmentState;
    limit: number;
    offset: number;
    withHost: boolean;
  }): Promise<[EnvironmentView[], number]> {
    const em = this.em.fork();
    const where: FilterQuery<Environment> = {
      client: filter.clientId ? { $and: [filter.clients, { id: filter.clientId }] } : filter.clients,
      ...(filter.state ? { state: filter.state } : {}),
    } as FilterQuery<Environment>;
    const [rows, total] = await em.findAndCount(Environment, where, {
      populate: ['client', 'host'],
      orderBy: { updatedAt: 'desc', solutionId: 'asc' },
      limit: filter.limit,
      offset: filter.offset,
    });
    const views = await Promise.all(rows.map((env) => this.view(em, env, { live: false, withHost: filter.withHost })));
    return [views, total];
  }

  /** Refuses a plan whose client or reseller is not what it says (fields named under `plan.`). */
  async checkPlanParties(plan: ProvisioningPlan): Promise<void> {
    await planParties(this.em.fork(), plan, 'plan.');
  }

  /** The environment of a solution, or undefined. */
  async find(solutionId: string): Promise<Environment | undefined> {
    if (!UUID.test(solutionId)) return undefined;
    return (await this.em.fork().findOne(Environment, { solutionId }, { populate: ['client', 'host'] })) ?? undefined;
  }

  async get(env: Environment, options: { live: boolean; withHost: boolean }): Promise<EnvironmentView> {
    return this.view(this.em.fork(), env, options);
  }

  async progress(env: Environment): Promise<ProgressView> {
    const em = this.em.fork();
    const steps = await em.find(ProvisioningStep, { environment: env, workflowId: env.workflowId, runId: env.runId }, { orderBy: { at: 'asc', step: 'asc' } });
    const resources = await em.find(ProvisionedResource, { environment: env, generation: env.generation }, { orderBy: { kind: 'asc', key: 'asc' } });
    return {
      solutionId: env.solutionId,
      state: env.state,
      ...operationOf(env, steps),
      steps: steps.map((step) => ({ step: step.step, phase: step.phase, status: step.status, message: step.message ?? null, at: step.at.toISOString() })),
      resources: resources.map((r) => ({ kind: r.kind, key: r.key, name: r.name, state: r.state, hypervisorId: r.hypervisorId ?? null })),
    };
  }

  private async view(em: EntityManager, env: Environment, options: { live: boolean; withHost: boolean }): Promise<EnvironmentView> {
    const resources = await em.find(ProvisionedResource, { environment: env, generation: env.generation }, { orderBy: { kind: 'asc', key: 'asc' } });
    const steps = await em.find(ProvisioningStep, { environment: env, workflowId: env.workflowId, runId: env.runId, status: 'done' });
    const live = options.live ? await this.liveStates(env, resources) : new Map<string, LiveState>();
    return {
      solutionId: env.solutionId,
      clientId: env.client.id,
      clientName: env.client.name,
      resellerId: env.reseller.id,
      state: env.state,
      generation: env.generation,
      designVersionId: env.designVersionId,
      designVersionNo: env.designVersionNo ?? null,
      ...(options.withHost ? { host: env.host ? { id: env.host.id, name: env.host.name, kind: env.host.kind } : null } : {}),
      operation: operationOf(env, steps),
      resources: resources.map((r) => ({
        kind: r.kind,
        key: r.key,
        name: r.name,
        state: r.state,
        hypervisorName: r.hypervisorName ?? null,
        hypervisorId: r.hypervisorId ?? null,
        vmKey: r.vmKey ?? null,
        vcpus: r.vcpus ?? null,
        ramGb: r.ramGb ?? null,
        diskGb: r.diskGb ?? null,
        billing: billingOf(r.spec),
        startedAt: r.startedAt?.toISOString() ?? null,
        stoppedAt: r.stoppedAt?.toISOString() ?? null,
        ...(live.has(r.key) && r.kind === 'vm' ? { live: live.get(r.key) } : {}),
      })),
      createdAt: env.createdAt.toISOString(),
      updatedAt: env.updatedAt.toISOString(),
    };
  }

  /** Each VM's state as its host reports it, all asked at once, each within LIVE_STATE_TIMEOUT_MS. */
  private async liveStates(env: Environment, resources: ProvisionedResource[]): Promise<Map<string, LiveState>> {
    const vms = resources.filter((r) => r.kind === 'vm' && r.state !== 'destroyed' && r.state !== 'pending' && r.hypervisorName);
    const states = new Map<string, LiveState>();
    if (!vms.length || !env.host) return states;
    const checkedAt = () => new Date().toISOString();
    let driver;
    try {
      driver = await this.drivers.forHost(env.host.id);
    } catch (error) {
      for (const vm of vms) states.set(vm.key, unknown(error, checkedAt()));
      return states;
    }
    await Promise.all(
      vms.map(async (vm) => {
        try {
          const info = await withHypervisorTimeout(
            driver.status(vm.hypervisorName as string),
            LIVE_STATE_TIMEOUT_MS,
            `host ${env.host?.name} did not answer within ${LIVE_STATE_TIMEOUT_MS / 1000} s`,
          );
          states.set(vm.key, info ? liveOf(info, checkedAt()) : { power: 'missing', checkedAt: checkedAt() });
        } catch (error) {
          states.set(vm.key, unknown(error, checkedAt()));
        }
      }),
    );
    return states;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function operationOf(env: Environment, steps: { status: string }[]): OperationView {
  return {
    operation: env.operation,
    workflowId: env.workflowId,
    phase: env.phase,
    stepsDone: steps.filter((step) => step.status === 'done').length,
    stepsTotal: env.stepsTotal,
    running: !env.operationFinishedAt,
    startedAt: env.operationStartedAt.toISOString(),
    finishedAt: env.operationFinishedAt?.toISOString() ?? null,
    requestedBy: env.requestedBy,
    error: env.errorCode ? { code: env.errorCode, message: env.errorMessage ?? '' } : null,
  };
}

function liveOf(info: VmInfo, checkedAt: string): LiveState {
  return {
    power: info.power,
    vcpus: info.vcpu,
    ramGb: Math.round(info.memoryMiB / 1024),
    ...(info.diskGb !== undefined ? { diskGb: info.diskGb } : {}),
    dataDisksGb: info.dataDisksGb,
    networks: info.networks,
    checkedAt,
  };
}

function unknown(error: unknown, checkedAt: string): LiveState {
  return {
    power: 'unknown',
    checkedAt,
    error: isDomainError(error)
      ? { code: error.code, message: error.message }
      : { code: 'HYPERVISOR_UNREACHABLE', message: (error as Error)?.message ?? String(error) },
  };
}
