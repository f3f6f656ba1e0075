import type {
  EnvironmentOperation,
  EnvironmentState,
  PlannedResourceKind,
  ProvisioningPhase,
  ProvisioningPlan,
  ResourceState,
  StepStatus,
} from '@wholesail/domain';

/** The plan a provisioning builds (plain JSON; its type and rules live in @wholesail/domain). */
export type { BillingLine, PlannedNetwork, PlannedPublicIp, PlannedVm, PlannedVolume, ProvisioningPlan } from '@wholesail/domain';

/** Workflow type names as registered by the worker (the exported function names). */
export const PROVISION_SOLUTION_WORKFLOW = 'provisionSolution';
export const RESIZE_SOLUTION_WORKFLOW = 'resizeSolution';
export const DEPROVISION_SOLUTION_WORKFLOW = 'deprovisionSolution';

/** One provisioning per approved design version: starting it again is a no-op while it runs, and finds it built once it has. */
export function provisioningWorkflowId(solutionId: string, designVersionId: string): string {
  return `provisioning:${solutionId}:${designVersionId}`;
}

/** One resize per design version applied to a running environment. */
export function resizeWorkflowId(solutionId: string, designVersionId: string): string {
  return `resize:${solutionId}:${designVersionId}`;
}

/** One deprovisioning per request (the caller's idempotency key, or the environment's generation). */
export function deprovisioningWorkflowId(solutionId: string, requestKey: string): string {
  return `deprovisioning:${solutionId}:${requestKey}`;
}

export interface ProvisionSolutionInput {
  plan: ProvisioningPlan;
  /** "user:<id>", "workflow:<id>", "api-key:<id>". */
  requestedBy: string;
}

export interface ResizeSolutionInput {
  /** The plan of the new approved version; applied to the running environment as a diff. */
  plan: ProvisioningPlan;
  requestedBy: string;
}

export interface DeprovisionSolutionInput {
  solutionId: string;
  requestedBy: string;
  reason?: string;
}

export type EnvironmentOutcomeStatus = 'running' | 'failed' | 'deprovisioned' | 'unchanged' | 'error';

/** How a provisioning, resize or deprovisioning ended. A refusal (busy, not running) fails the workflow instead. */
export interface EnvironmentOutcome {
  solutionId: string;
  operation: EnvironmentOperation;
  status: EnvironmentOutcomeStatus;
  designVersionId?: string;
  hostId?: string;
  hostName?: string;
  /** Why it failed (the failed step's code and message), after its undo. */
  error?: { code: string; message: string; step?: string };
  /** Steps whose undo failed (their resources may remain): an operator must look. */
  undoFailures?: { step: string; message: string }[];
}

export interface ProgressStepView {
  id: string;
  phase: ProvisioningPhase;
  status: StepStatus;
  kind?: 'network' | 'vm';
  key?: string;
}

export interface ResourceProgressView {
  kind: PlannedResourceKind;
  key: string;
  state: ResourceState;
  hypervisorId?: string;
}

/** The live progress of a run, answered by the `provisioningProgress` query of every provisioning workflow. */
export interface ProvisioningProgress {
  solutionId: string;
  operation: EnvironmentOperation;
  phase: ProvisioningPhase;
  stepsDone: number;
  stepsTotal: number;
  steps: ProgressStepView[];
  resources: ResourceProgressView[];
  error?: { code: string; message: string; step?: string };
  /** ISO 8601, workflow time. */
  startedAt: string;
  updatedAt: string;
}

/** The environment's state a claim returns to the workflow. */
export interface ClaimedEnvironment {
  /** `claimed`: this run owns it now; `done`: it already is what the run would make. */
  outcome: 'claimed' | 'done';
  state: EnvironmentState;
  generation: number;
  hostId?: string;
  hostName?: string;
}
