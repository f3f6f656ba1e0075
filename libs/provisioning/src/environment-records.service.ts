import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  assertValidPlan,
  billingKey,
  claimDecision,
  DomainError,
  hypervisorName,
  ProvisioningErrorCode,
  type EnvironmentOperation,
  type EnvironmentState,
  type PlannedResourceKind,
  type ProvisioningPhase,
  type ProvisioningPlan,
  type ResourceState,
} from '@wholesail/domain';
import type { RunRef } from '@wholesail/contracts';
import { Environment, Host, Party, ProvisionedResource, type ProvisioningStepStatus } from '@wholesail/persistence';

export interface ClaimInput {
  operation: EnvironmentOperation;
  run: RunRef;
  solutionId: string;
  requestedBy: string;
  /** The plan to build (provision) or resize to (resize). */
  plan?: ProvisioningPlan;
}

export interface ClaimResult {
  outcome: 'claimed' | 'done';
  state: EnvironmentState;
  generation: number;
  /** The plan the environment runs (a resize: the one it runs before the resize). */
  plan: ProvisioningPlan;
  hostId?: string;
  hostName?: string;
  /** Keys of the VMs and networks of the current generation not yet destroyed. */
  liveVms: string[];
  liveNetworks: string[];
}

export interface OwnedEnvironment {
  env: Environment;
  /** The plan being built: the resize target while resizing, else the plan. */
  building: ProvisioningPlan;
  resources: ProvisionedResource[];
}

/**
 * The one writer of environments, their resources and the steps of their provisioning (the
 * provisioning activities call it; the API only reads). A workflow run claims an environment under
 * a row lock (`claim`); every later write checks that the run still owns it, so a stale attempt of
 * an old run can never change what a newer run owns.
 */
@Injectable()
export class EnvironmentRecords {
  constructor(private readonly em: EntityManager) {}

  async claim(input: ClaimInput): Promise<ClaimResult> {
    if (input.plan) assertValidPlan(input.plan);
    const claim = () =>
      this.em.fork().transactional(async (tx) => {
        const env = await tx.findOne(Environment, { solutionId: input.solutionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        const decision = claimDecision(
          env ? { state: env.state, workflowId: env.workflowId, runId: env.runId, designVersionId: env.designVersionId } : undefined,
          {
            operation: input.operation,
            workflowId: input.run.workflowId,
            runId: input.run.runId,
            designVersionId: input.plan?.designVersionId,
          },
        );
        if (decision !== 'claim') return this.result(tx, env as Environment, decision === 'done' ? 'done' : 'claimed');
        const now = new Date();
        const owner = {
          operation: input.operation,
          workflowId: input.run.workflowId,
          runId: input.run.runId,
          requestedBy: input.requestedBy,
          phase: 'starting',
          errorCode: null,
          errorMessage: null,
          operationStartedAt: now,
          operationFinishedAt: null,
        };
        if (input.operation === 'provision') {
          const plan = input.plan as ProvisioningPlan;
          const { client, reseller } = await this.parties(tx, plan);
          if (env && (env.client.id !== client.id || env.reseller.id !== reseller.id)) {
            throw DomainError.conflict(ProvisioningErrorCode.PlanMismatch, `the solution's environment belongs to client ${env.client.id}, not ${client.id}`);
          }
          const target =
            env ??
            tx.create(Environment, {
              solutionId: plan.solutionId,
              client,
              reseller,
              state: 'provisioning',
              designVersionId: plan.designVersionId,
              plan,
              ...owner,
            });
          if (env) {
            env.generation += 1;
            Object.assign(env, owner, { state: 'provisioning', plan, targetPlan: null, host: null, reservationKey: null });
          }
          target.designVersionId = plan.designVersionId;
          target.designVersionNo = plan.designVersionNo ?? null;
          for (const resource of plannedResources(plan)) {
            tx.create(ProvisionedResource, { environment: target, generation: target.generation, designVersionId: plan.designVersionId, ...resource });
          }
          await tx.flush();
          return this.result(tx, target, 'claimed');
        }
        const current = env as Environment;
        if (input.operation === 'resize') {
          const plan = input.plan as ProvisioningPlan;
          if (plan.clientId !== current.client.id || plan.resellerId !== current.reseller.id) {
            throw DomainError.conflict(
              ProvisioningErrorCode.PlanMismatch,
              `the plan is for client ${plan.clientId}; the environment belongs to ${current.client.id}`,
            );
          }
          Object.assign(current, owner, { state: 'resizing', targetPlan: plan });
          // Resources the new version adds get their rows now (a key removed earlier comes back to life).
          const existing = await tx.find(ProvisionedResource, { environment: current, generation: current.generation });
          for (const resource of plannedResources(plan)) {
            const row = existing.find((candidate) => candidate.kind === resource.kind && candidate.key === resource.key);
            if (!row)
              tx.create(ProvisionedResource, { environment: current, generation: current.generation, designVersionId: plan.designVersionId, ...resource });
            else if (row.state === 'destroyed') {
              Object.assign(row, resource, {
                designVersionId: plan.designVersionId,
                state: 'pending',
                hypervisorId: null,
                billed: [],
                startedAt: null,
                changedAt: null,
                stoppedAt: null,
              });
            }
          }
        } else {
          Object.assign(current, owner, { state: 'deprovisioning', targetPlan: null });
        }
        await tx.flush();
        return this.result(tx, current, 'claimed');
      });
    try {
      return await claim();
    } catch (error) {
      // Two first claims of one solution raced to insert: the loser claims again and finds the winner.
      if (error instanceof UniqueConstraintViolationException) return claim();
      throw error;
    }
  }

  /** The environment as the run owns it, with the current generation's resources; ENVIRONMENT_BUSY when another run took it. */
  async owned(solutionId: string, run: RunRef, em: EntityManager = this.em.fork()): Promise<OwnedEnvironment> {
    const env = await em.findOne(Environment, { solutionId }, { populate: ['host'] });
    if (!env) throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, `the solution ${solutionId} has no environment`);
    if (env.workflowId !== run.workflowId || env.runId !== run.runId) {
      throw DomainError.conflict(ProvisioningErrorCode.EnvironmentBusy, `the environment is now owned by ${env.workflowId} (run ${env.runId})`);
    }
    const resources = await em.find(ProvisionedResource, { environment: env, generation: env.generation }, { orderBy: { kind: 'asc', key: 'asc' } });
    return { env, building: env.targetPlan ?? env.plan, resources };
  }

  /** The row of one resource of the current generation. */
  resource(owned: OwnedEnvironment, kind: PlannedResourceKind, key: string): ProvisionedResource {
    const row = owned.resources.find((resource) => resource.kind === kind && resource.key === key);
    if (!row) throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, `the environment has no ${kind} ${key}`);
    return row;
  }

  /** Runs `write` on the owned environment in one transaction, with the step's outcome recorded once. */
  async step<T>(
    solutionId: string,
    run: RunRef,
    step: { id: string; phase: ProvisioningPhase; status?: ProvisioningStepStatus; message?: string },
    write: (owned: OwnedEnvironment, em: EntityManager) => Promise<T> | T,
  ): Promise<T> {
    return this.em.fork().transactional(async (tx) => {
      const owned = await this.owned(solutionId, run, tx);
      const result = await write(owned, tx);
      owned.env.phase = step.phase;
      await tx.flush();
      await this.insertStep(tx, owned.env, run, step.id, step.phase, step.status ?? 'done', step.message ?? messageOf(result));
      return result;
    });
  }

  async setStepsTotal(solutionId: string, run: RunRef, stepsTotal: number): Promise<void> {
    await this.em.fork().nativeUpdate(Environment, { solutionId, workflowId: run.workflowId, runId: run.runId }, { stepsTotal });
  }

  async host(id: string): Promise<Host> {
    return this.em.fork().findOneOrFail(Host, { id });
  }

  /**
   * Gives every resource of the current generation that the chosen plan names its spec from that
   * plan (the resize target, or the plan an undone resize returns to); a resource whose billing
   * lines change gets `changedAt` now, the instant its change events take. Idempotent: a second
   * call finds the specs applied.
   */
  async applySpecs(solutionId: string, run: RunRef, from: 'plan' | 'target'): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const owned = await this.owned(solutionId, run, tx);
      const plan = from === 'target' ? owned.building : owned.env.plan;
      const specs = new Map<string, { key: string; billing?: { sku: string; quantity: string }[] }>([
        ...plan.networks.map((r) => [`network:${r.key}`, r] as const),
        ...plan.vms.map((r) => [`vm:${r.key}`, r] as const),
        ...plan.volumes.map((r) => [`volume:${r.key}`, r] as const),
        ...plan.publicIps.map((r) => [`public-ip:${r.key}`, r] as const),
      ]);
      const now = new Date();
      const running = (vmKey: string | null | undefined) => owned.resources.some((r) => r.kind === 'vm' && r.key === vmKey && r.state === 'running');
      for (const resource of owned.resources) {
        const spec = specs.get(`${resource.kind}:${resource.key}`);
        // Public IPs of a running VM have no hypervisor object: the plan alone says whether they exist.
        if (resource.kind === 'public-ip' && running(resource.vmKey)) {
          if (spec && resource.state !== 'running') Object.assign(resource, { state: 'running', startedAt: now, stoppedAt: null, spec: { ...spec } });
          else if (!spec && resource.state === 'running') Object.assign(resource, { state: 'destroyed', stoppedAt: now });
        }
        if (!spec || resource.state === 'destroyed') continue;
        if (billingKey(resource.spec) !== billingKey(spec)) {
          resource.spec = { ...spec };
          resource.designVersionId = plan.designVersionId;
          if (resource.state === 'running') resource.changedAt = now;
        }
      }
      await tx.flush();
    });
  }

  /** Records a step that failed (or whose undo failed), once per run and step. */
  async stepOutcome(
    solutionId: string,
    run: RunRef,
    step: { id: string; phase: ProvisioningPhase; status: ProvisioningStepStatus; message: string },
  ): Promise<void> {
    const em = this.em.fork();
    const env = await em.findOne(Environment, { solutionId });
    if (!env) return;
    await this.insertStep(em, env, run, step.id, step.phase, step.status, step.message);
  }

  /** Ends the run's operation: the environment's new state, phase and error; releases the run's ownership (the row keeps who last changed it). */
  async finish(
    solutionId: string,
    run: RunRef,
    outcome: { state: EnvironmentState; phase: ProvisioningPhase; error?: { code: string; message: string } },
  ): Promise<Environment> {
    return this.em.fork().transactional(async (tx) => {
      const { env } = await this.owned(solutionId, run, tx);
      if (env.operationFinishedAt) return env; // a retried finish
      env.state = outcome.state;
      env.phase = outcome.phase;
      env.errorCode = outcome.error?.code ?? null;
      env.errorMessage = outcome.error?.message ?? null;
      env.operationFinishedAt = new Date();
      if (env.operation === 'resize' && env.targetPlan) {
        if (outcome.state === 'running' && !outcome.error) {
          env.plan = env.targetPlan;
          env.designVersionId = env.targetPlan.designVersionId;
          env.designVersionNo = env.targetPlan.designVersionNo ?? null;
        }
        env.targetPlan = null;
      }
      await tx.flush();
      return env;
    });
  }

  private async result(em: EntityManager, env: Environment, outcome: 'claimed' | 'done'): Promise<ClaimResult> {
    const resources = await em.find(ProvisionedResource, { environment: env, generation: env.generation, state: { $ne: 'destroyed' } });
    const host = env.host ? await em.findOne(Host, { id: env.host.id }) : null;
    return {
      outcome,
      state: env.state,
      generation: env.generation,
      plan: env.plan,
      ...(host ? { hostId: host.id, hostName: host.name } : {}),
      liveVms: resources.filter((r) => r.kind === 'vm').map((r) => r.key),
      liveNetworks: resources.filter((r) => r.kind === 'network').map((r) => r.key),
    };
  }

  private parties(em: EntityManager, plan: ProvisioningPlan): Promise<{ client: Party; reseller: Party }> {
    return planParties(em, plan);
  }

  private async insertStep(
    em: EntityManager,
    env: Environment,
    run: RunRef,
    step: string,
    phase: string,
    status: ProvisioningStepStatus,
    message: string | undefined,
  ): Promise<void> {
    await em.execute(
      `insert into provisioning_step (id, solution_id, workflow_id, run_id, step, phase, status, message, at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, now())
       on conflict on constraint provisioning_step_once do nothing`,
      [env.solutionId, run.workflowId, run.runId, step, phase, status, message?.slice(0, 2000) ?? null],
    );
  }
}

/** The rows a plan's resources start as: pending, with their spec and sizes. */
function plannedResources(
  plan: ProvisioningPlan,
): Pick<ProvisionedResource, 'kind' | 'key' | 'name' | 'hypervisorName' | 'vmKey' | 'vcpus' | 'ramGb' | 'diskGb' | 'spec' | 'state'>[] {
  const row = (
    kind: PlannedResourceKind,
    resource: { key: string; name: string },
    sizes: Partial<Pick<ProvisionedResource, 'vmKey' | 'vcpus' | 'ramGb' | 'diskGb'>>,
  ) => ({
    kind,
    key: resource.key,
    name: resource.name,
    hypervisorName: kind === 'network' || kind === 'vm' ? hypervisorName(plan.solutionId, kind, resource.key) : null,
    vmKey: sizes.vmKey ?? null,
    vcpus: sizes.vcpus ?? null,
    ramGb: sizes.ramGb ?? null,
    diskGb: sizes.diskGb ?? null,
    spec: { ...resource },
    state: 'pending' as ResourceState,
  });
  return [
    ...plan.networks.map((network) => row('network', network, {})),
    ...plan.vms.map((vm) => row('vm', vm, { vcpus: vm.vcpus, ramGb: vm.ramGb, diskGb: vm.diskGb })),
    ...plan.volumes.map((volume) => row('volume', volume, { vmKey: volume.vm, diskGb: volume.sizeGb })),
    ...plan.publicIps.map((ip) => row('public-ip', ip, { vmKey: ip.vm })),
  ];
}

function messageOf(result: unknown): string | undefined {
  return typeof result === 'object' && result !== null && typeof (result as { message?: unknown }).message === 'string'
    ? (result as { message: string }).message
    : undefined;
}

/** The plan's client and its reseller, or PROVISIONING_INVALID_PLAN naming `clientId` / `resellerId` (`prefix` before them). */
export async function planParties(em: EntityManager, plan: ProvisioningPlan, prefix = ''): Promise<{ client: Party; reseller: Party }> {
  const client = await em.findOne(Party, { id: plan.clientId });
  if (!client || client.kind !== 'client') throw DomainError.invalid(ProvisioningErrorCode.InvalidPlan, `${prefix}clientId`, 'is not a client');
  if (client.parent?.id !== plan.resellerId)
    throw DomainError.invalid(ProvisioningErrorCode.InvalidPlan, `${prefix}resellerId`, "is not the client's reseller");
  return { client, reseller: client.parent as Party };
}
