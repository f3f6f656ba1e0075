import { type ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { EnvironmentStepInput, RunRef } from '@wholesail/contracts';
import { needsAttach, type EnvironmentState, type PlannedNetwork, type PlannedVm, type ProvisioningPhase, type ProvisioningPlan } from '@wholesail/domain';
import { hypervisor, records, undo } from './activities';
import { failRun, failureOf } from './failures';
import type { ProgressTracker } from './progress';
import { Saga } from './saga';

/**
 * One run of a provisioning workflow: its steps (each marked in the progress as it finishes or
 * fails), its saga of undos, and the building blocks the provisioning and the resize share —
 * networks, and VMs cloned, attached and powered on in parallel.
 */
export class ProvisioningRun {
  readonly run: RunRef;
  private readonly saga = new Saga();
  private failedStep?: string;

  constructor(
    readonly solutionId: string,
    readonly progress: ProgressTracker,
  ) {
    const info = workflowInfo();
    this.run = { workflowId: info.workflowId, runId: info.runId };
  }

  at(step: string, phase: ProvisioningPhase): EnvironmentStepInput {
    return { solutionId: this.solutionId, run: this.run, step, phase };
  }

  /** Runs a step; the first step that fails is the one the run reports. */
  async step<T>(id: string, phase: ProvisioningPhase, work: () => Promise<T>): Promise<T> {
    this.progress.enter(phase);
    try {
      const result = await work();
      this.progress.mark(id, 'done');
      return result;
    } catch (error) {
      this.progress.mark(id, 'failed');
      this.failedStep ??= id;
      throw error;
    }
  }

  /** Registers the undo of step `id` (run in reverse order by `undo`). */
  onUndo(id: string, work: () => Promise<unknown>): void {
    this.saga.add({
      step: id,
      undo: async () => {
        await work();
        this.progress.mark(id, 'undone');
      },
    });
  }

  /** The networks, in parallel, each with its undo (a destroy) registered before it is made. */
  async createNetworks(networks: readonly PlannedNetwork[]): Promise<void> {
    await Promise.all(
      networks.map(async (network) => {
        const id = `network:${network.key}`;
        this.onUndo(id, async () => {
          await undo.destroyEnvironmentNetwork({ ...this.at(id, 'undoing'), key: network.key, undo: true });
          this.progress.resource('network', network.key, 'destroyed');
        });
        const made = await this.step(id, 'networks', () => hypervisor.createEnvironmentNetwork({ ...this.at(id, 'networks'), key: network.key }));
        this.progress.resource('network', network.key, 'running', made.hypervisorId);
      }),
    );
  }

  /**
   * The VMs in parallel: each cloned, attached (when it has more networks, volumes or addresses) and
   * powered on. Every VM's undo is registered before any clone starts — a clone that fails halfway
   * may leave a VM or disks behind, and destroying what is not there is a no-op. Waits for all of
   * them, then fails with the first failure.
   */
  async buildVms(plan: ProvisioningPlan, vms: readonly PlannedVm[]): Promise<void> {
    for (const vm of vms) {
      this.onUndo(`vm:${vm.key}:create`, async () => {
        await undo.destroyEnvironmentVm({ ...this.at(`vm:${vm.key}:create`, 'undoing'), key: vm.key, undo: true });
        this.progress.vmAndAttached(plan, vm.key, 'destroyed');
      });
    }
    const built = await Promise.allSettled(
      vms.map(async (vm) => {
        const step = (action: string, phase: ProvisioningPhase) => ({ ...this.at(`vm:${vm.key}:${action}`, phase), key: vm.key });
        const made = await this.step(`vm:${vm.key}:create`, 'vms', () => hypervisor.createEnvironmentVm(step('create', 'vms')));
        this.progress.resource('vm', vm.key, 'created', made.hypervisorId);
        if (needsAttach(plan, vm.key)) await this.step(`vm:${vm.key}:attach`, 'attaching', () => hypervisor.attachEnvironmentVm(step('attach', 'attaching')));
        await this.step(`vm:${vm.key}:power-on`, 'powering-on', () => hypervisor.powerOnEnvironmentVm(step('power-on', 'powering-on')));
        this.progress.vmAndAttached(plan, vm.key, 'running');
      }),
    );
    const rejected = built.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /** What failed (code, message, step), recorded as the failed step and shown in the progress. */
  async failed(error: unknown): Promise<{ code: string; message: string; step?: string }> {
    const failure = failureOf(error, this.failedStep);
    this.progress.fail(failure);
    if (this.failedStep) {
      await records.recordEnvironmentStep({ ...this.at(this.failedStep, 'failed'), status: 'failed', message: `${failure.code}: ${failure.message}` });
    }
    return failure;
  }

  /**
   * Ends a run that failed: the environment's final state (and error), the progress, and the
   * non-retryable failure to throw, carrying the outcome (and any undo failures) as its details.
   */
  async finishFailed(
    what: string,
    state: EnvironmentState,
    failure: { code: string; message: string; step?: string },
    details: Record<string, unknown> = {},
  ): Promise<ApplicationFailure> {
    const outcome = await records.finishEnvironment({ solutionId: this.solutionId, run: this.run, state, phase: 'failed', error: failure });
    this.progress.enter('failed');
    return failRun(what, failure, { ...outcome, ...details });
  }

  /** Runs the undos in reverse; those that failed are recorded (and returned) for an operator. */
  async undo(): Promise<{ step: string; message: string }[]> {
    this.progress.enter('undoing');
    const failures = await this.saga.compensate();
    for (const failure of failures) {
      await records.recordEnvironmentStep({ ...this.at(failure.step, 'undoing'), status: 'undo-failed', message: failure.message });
    }
    return failures;
  }
}
