import type { EnvironmentOperation, EnvironmentState, ProvisioningPhase, ProvisioningPlan, VmSizes } from '@wholesail/domain';
import type { ClaimedEnvironment, EnvironmentOutcome } from './provisioning.contract';

/** The workflow run an activity works for: the owner an environment was claimed by. */
export interface RunRef {
  workflowId: string;
  runId: string;
}

/** Every step activity names the environment, the run, and the step it performs (recorded once per run). */
export interface EnvironmentStepInput {
  solutionId: string;
  run: RunRef;
  step: string;
  phase: ProvisioningPhase;
  /** An undo of an earlier step (recorded as `undone`). */
  undo?: boolean;
}

export interface ResourceStepInput extends EnvironmentStepInput {
  key: string;
}

export interface ClaimEnvironmentInput {
  operation: EnvironmentOperation;
  run: RunRef;
  solutionId: string;
  requestedBy: string;
  plan?: ProvisioningPlan;
}

export interface ClaimEnvironmentResult extends ClaimedEnvironment {
  /** The plan it runs (before a resize). */
  plan: ProvisioningPlan;
  liveVms: string[];
  liveNetworks: string[];
}

/**
 * The provisioning workflows' activities (activities/provisioning). Each is idempotent: it takes
 * the environment, the run and the resource key, looks at what exists (the database row, the
 * hypervisor by the resource's deterministic name) before it changes anything, and records its step
 * once. Hypervisor faults that may pass (unreachable, timeout) are retryable failures; everything
 * else is a non-retryable failure typed by its code.
 */
export interface ProvisioningActivities {
  /** Takes ownership of the environment for this run (or finds it already done / owned by this run) and records how many steps the run takes. */
  claimEnvironment(input: ClaimEnvironmentInput): Promise<ClaimEnvironmentResult>;
  /** Reserves the whole plan's capacity on one host (tags, templates); key `environment:<solution>:<generation>`. */
  placeEnvironment(input: EnvironmentStepInput): Promise<{ hostId: string; hostName: string; kind: string }>;
  createEnvironmentNetwork(input: ResourceStepInput): Promise<{ hypervisorId: string }>;
  /** Clones the VM from its host's template onto its first network, powered off. Heartbeats. */
  createEnvironmentVm(input: ResourceStepInput): Promise<{ hypervisorId: string }>;
  /** Further networks and data disks (volumes); public IPs are assigned. */
  attachEnvironmentVm(input: ResourceStepInput): Promise<void>;
  /** Powers the VM on; its start instant (and its volumes' and addresses') is recorded. Heartbeats. */
  powerOnEnvironmentVm(input: ResourceStepInput): Promise<void>;
  /** Power off, resize, power on (the drivers resize only powered-off VMs). Heartbeats. */
  resizeEnvironmentVm(input: ResourceStepInput & { to: VmSizes }): Promise<void>;
  /** Destroys the VM with its disks (its volumes and addresses go with it). Heartbeats. */
  destroyEnvironmentVm(input: ResourceStepInput): Promise<void>;
  destroyEnvironmentNetwork(input: ResourceStepInput): Promise<void>;
  /**
   * Brings the resource events in line with the resources: starts, changes and stops at the
   * instants their lives changed (transaction IDs derived from them, so a retry records nothing
   * twice). `specsFrom` applies the billing lines of the plan being built ('target') or of the plan
   * it runs ('plan', an undone resize) first.
   */
  recordEnvironmentUsage(input: EnvironmentStepInput & { specsFrom: 'plan' | 'target' }): Promise<{ recorded: number }>;
  /** A resize: grows the reservation to cover both versions while it runs. */
  growEnvironmentCapacity(input: EnvironmentStepInput): Promise<void>;
  /** The reservation becomes what the resources that exist take. */
  settleEnvironmentCapacity(input: EnvironmentStepInput): Promise<void>;
  releaseEnvironmentCapacity(input: EnvironmentStepInput): Promise<void>;
  /** Records a step that failed or whose undo failed. */
  recordEnvironmentStep(input: EnvironmentStepInput & { status: 'failed' | 'undo-failed'; message: string }): Promise<void>;
  /** Ends the operation: the environment's state (committing the reservation when running). */
  finishEnvironment(input: {
    solutionId: string;
    run: RunRef;
    state: EnvironmentState;
    phase: ProvisioningPhase;
    error?: { code: string; message: string; step?: string };
  }): Promise<EnvironmentOutcome>;
}

/**
 * What applies an approved design version, with its plan: `provision` when no environment runs
 * (none yet, or it failed or was taken down), `resize` when it runs another version, `none` when it
 * already runs this one.
 */
export type ApprovedVersionPlan = { operation: 'provision' | 'resize'; plan: ProvisioningPlan } | { operation: 'none' };

/** Called by the solution-approval workflow when a version is approved (activities/provisioning). */
export interface ProvisioningStartActivities {
  /** Read-only: the version's graph as a plan (designs → ProvisioningPlan, billed as quoted), and what applies it now. */
  planApprovedVersion(input: { solutionId: string; versionId: string }): Promise<ApprovedVersionPlan>;
}
