import { DomainError } from '../errors';
import { resourceName } from '../hosts/resource-names';
import type { PlannedResourceKind } from './plan';
import { ProvisioningErrorCode } from './provisioning-errors';

/**
 * An environment is what runs for one solution: its resources on one host. Its state says which
 * workflow owns it:
 * - `provisioning`, `resizing`, `deprovisioning`: a workflow run is changing it (the owner);
 * - `running`: built as its current design version;
 * - `failed`: a provisioning failed and was undone (nothing left on the hypervisor, capacity released);
 * - `deprovisioned`: everything was destroyed;
 * - `error`: an undo or a deprovisioning could not finish; resources may remain (see the steps).
 */
export const ENVIRONMENT_STATES = ['provisioning', 'running', 'resizing', 'deprovisioning', 'deprovisioned', 'failed', 'error'] as const;
export type EnvironmentState = (typeof ENVIRONMENT_STATES)[number];

/** States in which a workflow run owns the environment. */
export const ENVIRONMENT_BUSY_STATES: readonly EnvironmentState[] = ['provisioning', 'resizing', 'deprovisioning'];

export type EnvironmentOperation = 'provision' | 'resize' | 'deprovision';

/** A resource's life: planned, made on the hypervisor, running (and billed), destroyed. */
export const RESOURCE_STATES = ['pending', 'created', 'running', 'destroyed'] as const;
export type ResourceState = (typeof RESOURCE_STATES)[number];

export interface EnvironmentOwner {
  state: EnvironmentState;
  workflowId: string | null;
  runId: string | null;
  designVersionId: string | null;
}

export interface ClaimRequest {
  operation: EnvironmentOperation;
  workflowId: string;
  runId: string;
  /** The version the operation builds (provision, resize); none for a deprovisioning. */
  designVersionId?: string;
}

/**
 * What a workflow run may do with an environment in its current state:
 * - `claim`: take it over (a new generation for a provisioning that starts from nothing);
 * - `resume`: this run owns it already (an activity retried, a worker restarted);
 * - `done`: it is already what the run would make (the same version running, or already gone).
 * Anything else is refused with a code saying why; the database row is locked while this is decided.
 */
export function claimDecision(current: EnvironmentOwner | undefined, request: ClaimRequest): 'claim' | 'resume' | 'done' {
  if (current && current.workflowId === request.workflowId && current.runId === request.runId && ENVIRONMENT_BUSY_STATES.includes(current.state)) {
    return 'resume';
  }
  const busy = () =>
    DomainError.conflict(
      ProvisioningErrorCode.EnvironmentBusy,
      `the environment is ${current?.state} by ${current?.workflowId ?? 'another workflow'}; try again when it has finished`,
    );
  switch (request.operation) {
    case 'provision':
      if (!current || current.state === 'deprovisioned' || current.state === 'failed') return 'claim';
      if (current.state === 'running' && current.designVersionId === request.designVersionId) return 'done';
      if (current.state === 'running') {
        throw DomainError.conflict(
          ProvisioningErrorCode.AlreadyProvisioned,
          `the environment runs design version ${current.designVersionId}; a new version is applied as a resize`,
        );
      }
      if (current.state === 'error') throw busy();
      throw busy();
    case 'resize':
      if (!current) throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, 'the solution has no environment to resize');
      if (current.state === 'running' && current.designVersionId === request.designVersionId) return 'done';
      if (current.state === 'running') return 'claim';
      if (ENVIRONMENT_BUSY_STATES.includes(current.state)) throw busy();
      throw DomainError.conflict(ProvisioningErrorCode.NotRunning, `the environment is ${current.state}; only a running environment can be resized`);
    case 'deprovision':
      if (!current) throw DomainError.notFound(ProvisioningErrorCode.EnvironmentNotFound, 'the solution has no environment to deprovision');
      if (current.state === 'deprovisioned' || current.state === 'failed') return 'done';
      if (ENVIRONMENT_BUSY_STATES.includes(current.state)) throw busy();
      return 'claim'; // running, or error: a deprovisioning sweeps what remains
  }
}

/** The hypervisor name of a resource: deterministic (the drivers' idempotency key), unique per solution and kind. */
export function hypervisorName(solutionId: string, kind: 'network' | 'vm', key: string): string {
  return kind === 'network' ? resourceName('ws', solutionId, 'net', key) : resourceName('ws', solutionId, key);
}

/** The usage resource of one billing line of a provisioned resource: `<solution>:<kind>:<key>:<sku>`. */
export function usageResourceId(solutionId: string, kind: PlannedResourceKind, key: string, sku: string): string {
  return `${solutionId}:${kind}:${key}:${sku}`;
}
