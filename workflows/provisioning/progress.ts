import { setHandler } from '@temporalio/workflow';
import { provisioningProgressQuery, type ProgressStepView, type ProvisioningProgress, type ResourceProgressView } from '@wholesail/contracts';
import type {
  EnvironmentOperation,
  PlannedResourceKind,
  ProgressStep,
  ProvisioningPhase,
  ProvisioningPlan,
  ResourceState,
  StepStatus,
} from '@wholesail/domain';

/**
 * The run's progress in workflow state, answered by the `provisioningProgress` query at any time:
 * phase, steps done of total, each step's status and each resource's state. The activities record
 * the same steps in the database for the API, which also shows them after the run.
 */
export class ProgressTracker {
  private readonly steps = new Map<string, ProgressStepView>();
  private readonly resources = new Map<string, ResourceProgressView>();
  private phase: ProvisioningPhase = 'starting';
  private error?: ProvisioningProgress['error'];
  private readonly startedAt = new Date().toISOString();
  private updatedAt = this.startedAt;

  constructor(
    private readonly solutionId: string,
    private readonly operation: EnvironmentOperation,
  ) {
    setHandler(provisioningProgressQuery, () => this.view());
  }

  /** The steps the run will take (replacing any listed before, e.g. once a resize knows its diff). */
  plan(steps: readonly ProgressStep[], resources: readonly { kind: PlannedResourceKind; key: string; state: ResourceState }[]): void {
    this.steps.clear();
    for (const step of steps) this.steps.set(step.id, { ...step, status: 'pending' });
    for (const resource of resources) this.resources.set(`${resource.kind}:${resource.key}`, { ...resource });
    this.touch();
  }

  enter(phase: ProvisioningPhase): void {
    this.phase = phase;
    this.touch();
  }

  mark(stepId: string, status: StepStatus): void {
    const step = this.steps.get(stepId);
    // An undo of a step that never began leaves it pending.
    if (step && !(status === 'undone' && step.status === 'pending')) step.status = status;
    this.touch();
  }

  resource(kind: PlannedResourceKind, key: string, state: ResourceState, hypervisorId?: string): void {
    const current = this.resources.get(`${kind}:${key}`);
    this.resources.set(`${kind}:${key}`, { ...(current ?? { kind, key }), state, ...(hypervisorId ? { hypervisorId } : {}) });
    this.touch();
  }

  /** Volumes and public IPs follow their VM. */
  vmAndAttached(plan: ProvisioningPlan, vmKey: string, state: ResourceState): void {
    this.resource('vm', vmKey, state);
    for (const volume of plan.volumes.filter((v) => v.vm === vmKey)) this.resource('volume', volume.key, state);
    for (const ip of plan.publicIps.filter((p) => p.vm === vmKey)) this.resource('public-ip', ip.key, state);
  }

  fail(error: ProvisioningProgress['error']): void {
    this.error = error;
    this.touch();
  }

  view(): ProvisioningProgress {
    const steps = [...this.steps.values()];
    return {
      solutionId: this.solutionId,
      operation: this.operation,
      phase: this.phase,
      stepsDone: steps.filter((step) => step.status === 'done').length,
      stepsTotal: steps.length,
      steps,
      resources: [...this.resources.values()],
      ...(this.error ? { error: this.error } : {}),
      startedAt: this.startedAt,
      updatedAt: this.updatedAt,
    };
  }

  private touch(): void {
    this.updatedAt = new Date().toISOString();
  }
}

/** The resources of a plan, all in one state (the start of a provisioning). */
export function planResources(plan: ProvisioningPlan, state: ResourceState): { kind: PlannedResourceKind; key: string; state: ResourceState }[] {
  return [
    ...plan.networks.map((r) => ({ kind: 'network' as const, key: r.key, state })),
    ...plan.vms.map((r) => ({ kind: 'vm' as const, key: r.key, state })),
    ...plan.volumes.map((r) => ({ kind: 'volume' as const, key: r.key, state })),
    ...plan.publicIps.map((r) => ({ kind: 'public-ip' as const, key: r.key, state })),
  ];
}
