import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type {
  ClaimEnvironmentInput,
  ClaimEnvironmentResult,
  EnvironmentOutcome,
  EnvironmentStepInput,
  ApprovedVersionPlan,
  ProvisioningActivities as ProvisioningActivitiesContract,
  ProvisioningStartActivities,
  ResourceStepInput,
} from '@wholesail/contracts';
import {
  billingOf,
  deprovisionSteps,
  DesignErrorCode,
  diffPlans,
  DomainError,
  planFromDesign,
  planNeeds,
  planTemplates,
  ProvisioningErrorCode,
  provisionSteps,
  reconcileUsage,
  resizeSteps,
  skusOf,
  type Capacity,
  type PlannedVm,
  type ProvisioningPhase,
  type ProvisioningPlan,
  type VmSizes,
} from '@wholesail/domain';
import { HypervisorDrivers, PlacementService, type HypervisorDriver } from '@wholesail/hypervisors';
import { DesignAssessor } from '@wholesail/designs';
import { DesignVersion, Environment, Host, type ProvisionedResource } from '@wholesail/persistence';
import { EnvironmentRecords, ProvisioningFaults, usageTransactionId, type OwnedEnvironment } from '@wholesail/provisioning';
import { USAGE_EVENTS_MAX_BATCH, UsageRecorder } from '@wholesail/usage';
import { withDomainFailures } from '@wholesail/temporal';

const MIB_PER_GB = 1024;
/** Long driver calls report progress this often; the workflows give them a heartbeat timeout a few times longer. */
const HEARTBEAT_EVERY_MS = 5_000;

/**
 * The provisioning workflows' activities. Each one reads the environment as its run owns it
 * (EnvironmentRecords), calls the host's driver by the resource's deterministic name — every driver
 * call looks the name up first, so a retry after a crash finds what the first attempt made — and
 * then records the result and its step in one transaction. Domain errors become non-retryable
 * failures; unreachable hypervisors and timeouts stay retryable (withDomainFailures).
 */
@Injectable()
export class SolutionProvisioningActivities implements ProvisioningActivitiesContract, ProvisioningStartActivities {
  private readonly logger = new Logger('Provisioning');

  constructor(
    private readonly em: EntityManager,
    private readonly records: EnvironmentRecords,
    private readonly placement: PlacementService,
    private readonly drivers: HypervisorDrivers,
    private readonly faults: ProvisioningFaults,
    private readonly usage: UsageRecorder,
    private readonly designs: DesignAssessor,
  ) {}

  async planApprovedVersion(input: { solutionId: string; versionId: string }): Promise<ApprovedVersionPlan> {
    return withDomainFailures(async () => {
      const em = this.em.fork();
      const version = await em.findOne(DesignVersion, { id: input.versionId, solution: input.solutionId }, { populate: ['solution', 'solution.client'] });
      if (!version) throw DomainError.notFound(DesignErrorCode.VersionNotFound, `version ${input.versionId} of solution ${input.solutionId} does not exist`);
      const client = version.solution.client;
      // The items the design names as they are now: the lines the quote priced at submission.
      const offer = await this.designs.offer(em, client, skusOf(version.graph), new Date());
      const plan = planFromDesign(version.graph, offer, {
        solutionId: input.solutionId,
        clientId: client.id,
        resellerId: client.parent?.id as string,
        designVersionId: version.id,
        designVersionNo: version.version,
      });
      const env = await em.findOne(Environment, { solutionId: input.solutionId });
      if (env?.state === 'running' && env.designVersionId === version.id) return { operation: 'none' };
      return { operation: env?.state === 'running' ? 'resize' : 'provision', plan };
    });
  }

  async claimEnvironment(input: ClaimEnvironmentInput): Promise<ClaimEnvironmentResult> {
    return withDomainFailures(async () => {
      const result = await this.records.claim(input);
      if (result.outcome === 'claimed') {
        const steps =
          input.operation === 'provision'
            ? provisionSteps(input.plan as ProvisioningPlan)
            : input.operation === 'resize'
              ? resizeSteps(input.plan as ProvisioningPlan, diffPlans(result.plan, input.plan as ProvisioningPlan))
              : deprovisionSteps(result.liveVms, result.liveNetworks);
        await this.records.setStepsTotal(input.solutionId, input.run, steps.length);
      }
      return result;
    });
  }

  async placeEnvironment(input: EnvironmentStepInput): Promise<{ hostId: string; hostName: string; kind: string }> {
    return withDomainFailures(async () => {
      await this.faults.before('placeEnvironment', 'environment');
      const owned = await this.records.owned(input.solutionId, input.run);
      const { env } = owned;
      const key = `environment:${env.solutionId}:${env.generation}`;
      const reservation = await this.placement.reserve({
        key,
        need: planNeeds(env.plan),
        tags: env.plan.placement?.tags ?? [],
        templates: planTemplates(env.plan),
      });
      await this.faults.after('placeEnvironment', 'environment');
      const placed = await this.records.step(input.solutionId, input.run, stepOf(input), async ({ env: row }, em) => {
        row.host = em.getReference(Host, reservation.hostId);
        row.reservationKey = key;
        return { message: `${reservation.hostName}: ${reservation.vcpu} vCPU, ${reservation.ramGb} GB RAM, ${reservation.storageGb} GB storage reserved` };
      });
      const host = await this.records.host(reservation.hostId);
      this.logger.debug(placed.message);
      return { hostId: reservation.hostId, hostName: reservation.hostName, kind: host.kind };
    });
  }

  async createEnvironmentNetwork(input: ResourceStepInput): Promise<{ hypervisorId: string }> {
    return withDomainFailures(async () => {
      await this.faults.before('createEnvironmentNetwork', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const row = this.records.resource(owned, 'network', input.key);
      const driver = await this.driverOf(owned);
      const network = await driver.createNetwork({ name: row.hypervisorName as string, labels: labels(owned, input.key) });
      await this.faults.after('createEnvironmentNetwork', input.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        const resource = this.records.resource(current, 'network', input.key);
        Object.assign(resource, { hypervisorId: network.id, host: current.env.host, state: resource.state === 'destroyed' ? 'destroyed' : 'running' });
        resource.startedAt ??= new Date();
        return { message: `network ${network.name} (${network.id})` };
      });
      return { hypervisorId: network.id };
    });
  }

  async createEnvironmentVm(input: ResourceStepInput): Promise<{ hypervisorId: string }> {
    return withDomainFailures(async () => {
      await this.faults.before('createEnvironmentVm', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const vm = plannedVm(owned, input.key);
      const row = this.records.resource(owned, 'vm', input.key);
      const host = owned.env.host;
      const template = host?.templates?.[vm.template];
      if (!host || !template) {
        throw DomainError.conflict(ProvisioningErrorCode.TemplateMissing, `host ${host?.name ?? '(none)'} offers no template for ${vm.template}`);
      }
      const driver = await this.driverOf(owned);
      const created = await heartbeating(() =>
        driver.createVmFromTemplate({
          name: row.hypervisorName as string,
          template,
          network: this.networkName(owned, vm.networks[0]),
          vcpu: vm.vcpus,
          memoryMiB: vm.ramGb * MIB_PER_GB,
          diskGb: vm.diskGb,
          labels: labels(owned, vm.key),
        }),
      );
      await this.faults.after('createEnvironmentVm', input.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        const resource = this.records.resource(current, 'vm', input.key);
        Object.assign(resource, { hypervisorId: created.id, host: current.env.host, vcpus: vm.vcpus, ramGb: vm.ramGb, diskGb: vm.diskGb });
        if (resource.state === 'pending') resource.state = 'created';
        return { message: `VM ${created.name} (${created.id}) from ${template}` };
      });
      return { hypervisorId: created.id };
    });
  }

  async attachEnvironmentVm(input: ResourceStepInput): Promise<void> {
    return withDomainFailures(async () => {
      await this.faults.before('attachEnvironmentVm', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const vm = plannedVm(owned, input.key);
      const name = this.records.resource(owned, 'vm', input.key).hypervisorName as string;
      const driver = await this.driverOf(owned);
      for (const network of vm.networks.slice(1)) await driver.attachNetwork(name, this.networkName(owned, network));
      const volumes = owned.building.volumes.filter((volume) => volume.vm === vm.key);
      if (volumes.length)
        await heartbeating(() =>
          driver.ensureDataDisks(
            name,
            volumes.map((volume) => volume.sizeGb),
          ),
        );
      await this.faults.after('attachEnvironmentVm', input.key);
      const ips = owned.building.publicIps.filter((ip) => ip.vm === vm.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        volumes.forEach((volume, index) => {
          const resource = this.records.resource(current, 'volume', volume.key);
          Object.assign(resource, { host: current.env.host, hypervisorId: `${name}:disk-${index + 1}` });
          if (resource.state === 'pending') resource.state = 'created';
        });
        for (const ip of ips) {
          const resource = this.records.resource(current, 'public-ip', ip.key);
          if (resource.state === 'pending') resource.state = 'created';
        }
        return {
          message: `VM ${name}: ${vm.networks.length} network(s), ${volumes.length} data disk(s), ${ips.length} public IP(s)`,
        };
      });
    });
  }

  async powerOnEnvironmentVm(input: ResourceStepInput): Promise<void> {
    return withDomainFailures(async () => {
      await this.faults.before('powerOnEnvironmentVm', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const name = this.records.resource(owned, 'vm', input.key).hypervisorName as string;
      const driver = await this.driverOf(owned);
      const on = await heartbeating(() => driver.powerOn(name));
      await this.faults.after('powerOnEnvironmentVm', input.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        const at = new Date();
        for (const resource of [this.records.resource(current, 'vm', input.key), ...attachedTo(current, input.key)]) {
          if (resource.state === 'destroyed') continue;
          resource.state = 'running';
          resource.startedAt ??= at; // the first power-on: usage starts here
        }
        return { message: `VM ${on.name} powered on` };
      });
    });
  }

  async resizeEnvironmentVm(input: ResourceStepInput & { to: VmSizes }): Promise<void> {
    return withDomainFailures(async () => {
      await this.faults.before('resizeEnvironmentVm', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const row = this.records.resource(owned, 'vm', input.key);
      const name = row.hypervisorName as string;
      const driver = await this.driverOf(owned);
      const current = await driver.status(name);
      if (!current) throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, `VM ${name} is missing on host ${owned.env.host?.name}`);
      const diskGb = Math.max(input.to.diskGb, current.diskGb ?? 0); // disks never shrink
      const same = current.vcpu === input.to.vcpus && current.memoryMiB === input.to.ramGb * MIB_PER_GB && (current.diskGb ?? 0) >= input.to.diskGb;
      await heartbeating(async () => {
        if (!same) {
          await driver.powerOff(name);
          await driver.resize(name, { vcpu: input.to.vcpus, memoryMiB: input.to.ramGb * MIB_PER_GB, diskGb });
        }
        await driver.powerOn(name); // also after a crash between the resize and the power-on
      });
      await this.faults.after('resizeEnvironmentVm', input.key);
      // Forward, the VM takes the new version's spec (and billing lines); an undo, the one it runs.
      const spec = (input.undo ? owned.env.plan : owned.building).vms.find((vm) => vm.key === input.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (now) => {
        const resource = this.records.resource(now, 'vm', input.key);
        if (resource.vcpus !== input.to.vcpus || resource.ramGb !== input.to.ramGb || resource.diskGb !== diskGb) {
          Object.assign(resource, { vcpus: input.to.vcpus, ramGb: input.to.ramGb, diskGb });
          resource.changedAt = new Date();
        }
        if (spec) resource.spec = { ...spec };
        return { message: `VM ${name}: ${input.to.vcpus} vCPU, ${input.to.ramGb} GB RAM, ${diskGb} GB disk` };
      });
    });
  }

  async destroyEnvironmentVm(input: ResourceStepInput): Promise<void> {
    return withDomainFailures(async () => {
      await this.faults.before('destroyEnvironmentVm', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const row = this.records.resource(owned, 'vm', input.key);
      if (owned.env.host) {
        const driver = await this.driverOf(owned);
        await heartbeating(() => driver.destroyVm(row.hypervisorName as string));
      }
      await this.faults.after('destroyEnvironmentVm', input.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        const at = new Date();
        for (const resource of [this.records.resource(current, 'vm', input.key), ...attachedTo(current, input.key)]) {
          if (resource.state !== 'destroyed' && resource.state !== 'pending') resource.stoppedAt ??= at;
          resource.state = 'destroyed';
        }
        return { message: `VM ${row.hypervisorName} destroyed` };
      });
    });
  }

  async destroyEnvironmentNetwork(input: ResourceStepInput): Promise<void> {
    return withDomainFailures(async () => {
      await this.faults.before('destroyEnvironmentNetwork', input.key);
      const owned = await this.records.owned(input.solutionId, input.run);
      const row = this.records.resource(owned, 'network', input.key);
      if (owned.env.host) await (await this.driverOf(owned)).destroyNetwork(row.hypervisorName as string);
      await this.faults.after('destroyEnvironmentNetwork', input.key);
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        const resource = this.records.resource(current, 'network', input.key);
        if (resource.state !== 'destroyed' && resource.state !== 'pending') resource.stoppedAt ??= new Date();
        resource.state = 'destroyed';
        return { message: `network ${row.hypervisorName} destroyed` };
      });
    });
  }

  async recordEnvironmentUsage(input: EnvironmentStepInput & { specsFrom: 'plan' | 'target' }): Promise<{ recorded: number }> {
    return withDomainFailures(async () => {
      await this.faults.before('recordEnvironmentUsage', 'environment');
      // First the billing lines of the plan that counts now (a resize's target, or the plan an undone resize returns to).
      await this.records.applySpecs(input.solutionId, input.run, input.specsFrom);
      const owned = await this.records.owned(input.solutionId, input.run);
      const { env } = owned;
      const context = { source: 'provisioning' as const, sourceRef: input.run.workflowId, recordedBy: `workflow:${input.run.workflowId}` };
      let recorded = 0;
      const billedAfter = new Map<string, ProvisionedResource['billed']>();
      const pending = owned.resources.flatMap((resource) => {
        const { events, billed } = reconcileUsage(env.solutionId, {
          kind: resource.kind,
          key: resource.key,
          state: resource.state,
          billing: billingOf(resource.spec),
          billed: resource.billed,
          startedAt: resource.startedAt?.toISOString(),
          changedAt: resource.changedAt?.toISOString(),
          stoppedAt: resource.stoppedAt?.toISOString(),
        });
        if (events.length) billedAfter.set(resource.id, billed);
        return events.map((event) => ({
          transactionId: usageTransactionId(event),
          clientId: env.client.id,
          resourceId: event.resourceId,
          sku: event.sku,
          kind: event.kind,
          ...(event.quantity === null ? {} : { quantity: event.quantity }),
          occurredAt: event.occurredAt,
        }));
      });
      for (let i = 0; i < pending.length; i += USAGE_EVENTS_MAX_BATCH) {
        const results = await this.usage.recordMany(pending.slice(i, i + USAGE_EVENTS_MAX_BATCH), context);
        recorded += results.filter((result) => result.status === 'recorded').length;
      }
      await this.faults.after('recordEnvironmentUsage', 'environment');
      await this.records.step(input.solutionId, input.run, stepOf(input), (current) => {
        for (const resource of current.resources) {
          const billed = billedAfter.get(resource.id);
          if (billed) resource.billed = billed;
        }
        return { message: `${pending.length} resource event(s), ${recorded} new` };
      });
      return { recorded };
    });
  }

  async growEnvironmentCapacity(input: EnvironmentStepInput): Promise<void> {
    return withDomainFailures(async () => {
      const owned = await this.records.owned(input.solutionId, input.run);
      const { env } = owned;
      const before = planNeeds(env.plan);
      const after = planNeeds(owned.building);
      const need: Capacity = {
        vcpu: Math.max(before.vcpu, after.vcpu),
        ramGb: Math.max(before.ramGb, after.ramGb),
        storageGb: Math.max(before.storageGb, after.storageGb),
      };
      const reservation = await this.placement.resize(requireKey(owned), need);
      await this.records.step(input.solutionId, input.run, stepOf(input), () => ({
        message: `${reservation.hostName}: ${reservation.vcpu} vCPU, ${reservation.ramGb} GB RAM, ${reservation.storageGb} GB storage reserved while resizing`,
      }));
    });
  }

  async settleEnvironmentCapacity(input: EnvironmentStepInput): Promise<void> {
    return withDomainFailures(async () => {
      const owned = await this.records.owned(input.solutionId, input.run);
      const live = owned.resources.filter((resource) => resource.state !== 'destroyed' && resource.state !== 'pending');
      const sum = (pick: (resource: ProvisionedResource) => number) => live.reduce((total, resource) => total + pick(resource), 0);
      const need: Capacity = {
        vcpu: sum((r) => (r.kind === 'vm' ? (r.vcpus ?? 0) : 0)),
        ramGb: sum((r) => (r.kind === 'vm' ? (r.ramGb ?? 0) : 0)),
        storageGb: sum((r) => (r.kind === 'vm' || r.kind === 'volume' ? (r.diskGb ?? 0) : 0)),
      };
      // Nothing left running: the reservation cannot hold nothing, so it is released.
      const reservation =
        need.vcpu + need.ramGb + need.storageGb === 0 ? await this.placement.release(requireKey(owned)) : await this.placement.resize(requireKey(owned), need);
      await this.records.step(input.solutionId, input.run, stepOf(input), () => ({
        message: `${reservation?.hostName}: ${need.vcpu} vCPU, ${need.ramGb} GB RAM, ${need.storageGb} GB storage held`,
      }));
    });
  }

  async releaseEnvironmentCapacity(input: EnvironmentStepInput): Promise<void> {
    return withDomainFailures(async () => {
      const owned = await this.records.owned(input.solutionId, input.run);
      const released = owned.env.reservationKey ? await this.placement.release(owned.env.reservationKey) : undefined;
      await this.records.step(input.solutionId, input.run, stepOf(input), () => ({
        message: released
          ? `${released.hostName}: ${released.vcpu} vCPU, ${released.ramGb} GB RAM, ${released.storageGb} GB storage released`
          : 'nothing was reserved',
      }));
    });
  }

  async recordEnvironmentStep(input: EnvironmentStepInput & { status: 'failed' | 'undo-failed'; message: string }): Promise<void> {
    return withDomainFailures(() =>
      this.records.stepOutcome(input.solutionId, input.run, { id: input.step, phase: input.phase, status: input.status, message: input.message }),
    );
  }

  async finishEnvironment(input: Parameters<ProvisioningActivitiesContract['finishEnvironment']>[0]): Promise<EnvironmentOutcome> {
    return withDomainFailures(async () => {
      const owned = await this.records.owned(input.solutionId, input.run);
      if (input.state === 'running' && owned.env.reservationKey) await this.placement.commit(owned.env.reservationKey);
      const env = await this.records.finish(input.solutionId, input.run, {
        state: input.state,
        phase: input.phase,
        ...(input.error ? { error: input.error } : {}),
      });
      return {
        solutionId: env.solutionId,
        operation: env.operation,
        status: input.state === 'running' && env.operation === 'resize' && input.error ? 'unchanged' : (input.state as EnvironmentOutcome['status']),
        designVersionId: env.designVersionId,
        ...(owned.env.host ? { hostId: owned.env.host.id, hostName: owned.env.host.name } : {}),
        ...(input.error ? { error: input.error } : {}),
      };
    });
  }

  private driverOf(owned: OwnedEnvironment): Promise<HypervisorDriver> {
    if (!owned.env.host)
      throw DomainError.conflict(ProvisioningErrorCode.EnvironmentNotFound, `the environment of ${owned.env.solutionId} is not placed on a host yet`);
    return this.drivers.forHost(owned.env.host.id);
  }

  private networkName(owned: OwnedEnvironment, key: string): string {
    return this.records.resource(owned, 'network', key).hypervisorName as string;
  }
}

function stepOf(input: EnvironmentStepInput): { id: string; phase: ProvisioningPhase; status?: 'done' | 'undone' } {
  return { id: input.step, phase: input.phase, ...(input.undo ? { status: 'undone' as const } : {}) };
}

function plannedVm(owned: OwnedEnvironment, key: string): PlannedVm {
  const vm = owned.building.vms.find((candidate) => candidate.key === key) ?? owned.env.plan.vms.find((candidate) => candidate.key === key);
  if (!vm) throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, `the plan has no VM ${key}`);
  return vm;
}

/** The volumes and public IPs of a VM: they live and die with it. */
function attachedTo(owned: OwnedEnvironment, vmKey: string): ProvisionedResource[] {
  return owned.resources.filter((resource) => (resource.kind === 'volume' || resource.kind === 'public-ip') && resource.vmKey === vmKey);
}

function labels(owned: OwnedEnvironment, key: string): Record<string, string> {
  return { solution: owned.env.solutionId, client: owned.env.client.id, resource: key, generation: String(owned.env.generation) };
}

function requireKey(owned: OwnedEnvironment): string {
  if (!owned.env.reservationKey) throw DomainError.conflict(ProvisioningErrorCode.EnvironmentNotFound, 'the environment holds no capacity reservation');
  return owned.env.reservationKey;
}

/** Runs a long driver call while heartbeating, so a worker that dies is noticed within the heartbeat timeout. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    context = undefined; // called outside an activity (a test of the class)
  }
  const timer = context ? setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
  try {
    context?.heartbeat();
    return await work();
  } finally {
    if (timer) clearInterval(timer);
  }
}
