import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  DEPROVISION_SOLUTION_WORKFLOW,
  deprovisioningWorkflowId,
  PROVISION_SOLUTION_WORKFLOW,
  provisioningWorkflowId,
  RESIZE_SOLUTION_WORKFLOW,
  resizeWorkflowId,
  type DeprovisionSolutionInput,
  type ProvisionSolutionInput,
  type ResizeSolutionInput,
} from '@wholesail/contracts';
import { assertValidPlan, type ProvisioningPlan } from '@wholesail/domain';

export interface StartedOperation {
  workflowId: string;
  /** false: a run with this workflow ID was already running; nothing new started. */
  started: boolean;
}

/**
 * Starts provisioning of an approved design version: `provisioning:<solutionId>:<designVersionId>`.
 * Independent of HTTP and Nest — the API, the solution-approval workflow's activity and the bench
 * call it with a Temporal client. The workflow ID is the business key: while a run is in progress a
 * second start starts nothing; after it ended, a new run finds the version running (no-op) or, after
 * a failure or a deprovisioning, builds it again.
 */
export async function startProvisioning(client: Client, taskQueue: string, plan: ProvisioningPlan, requestedBy: string): Promise<StartedOperation> {
  assertValidPlan(plan);
  const input: ProvisionSolutionInput = { plan, requestedBy };
  return start(client, taskQueue, PROVISION_SOLUTION_WORKFLOW, provisioningWorkflowId(plan.solutionId, plan.designVersionId), input);
}

/** Applies a new approved version to a running environment: `resize:<solutionId>:<designVersionId>`. */
export async function startResize(client: Client, taskQueue: string, plan: ProvisioningPlan, requestedBy: string): Promise<StartedOperation> {
  assertValidPlan(plan);
  const input: ResizeSolutionInput = { plan, requestedBy };
  return start(client, taskQueue, RESIZE_SOLUTION_WORKFLOW, resizeWorkflowId(plan.solutionId, plan.designVersionId), input);
}

/** Takes an environment down: `deprovisioning:<solutionId>:<requestKey>` (the same key twice starts it once). */
export async function startDeprovisioning(client: Client, taskQueue: string, input: DeprovisionSolutionInput, requestKey: string): Promise<StartedOperation> {
  return start(client, taskQueue, DEPROVISION_SOLUTION_WORKFLOW, deprovisioningWorkflowId(input.solutionId, requestKey), input);
}

async function start(client: Client, taskQueue: string, type: string, workflowId: string, input: unknown): Promise<StartedOperation> {
  try {
    await client.workflow.start(type, { workflowId, taskQueue, args: [input] });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}
