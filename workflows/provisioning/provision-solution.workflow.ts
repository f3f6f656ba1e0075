import { workflowInfo } from '@temporalio/workflow';
import type { EnvironmentOutcome, EnvironmentStepInput, ProvisionSolutionInput } from '@wholesail/contracts';
import { needsAttach, planProblems, provisionSteps, type ProvisioningPhase } from '@wholesail/domain';
import { hypervisor, records, undo } from './activities';
import { failRun, failureOf, invalidPlan } from './failures';
import { planResources, ProgressTracker } from './progress';
import { Saga } from './saga';

/**
 * Builds an approved design version (`provisioning:<solutionId>:<designVersionId>`), as a saga:
 * claim the environment → place the whole plan on one host (one reservation) → networks → VMs,
 * each cloned, attached (more networks, data disks, public IPs) and powered on, in parallel →
 * record the resource events → running. Each step's undo is registered before the step can leave
 * anything behind; when a step fails for good, the undos run in reverse — destroy VMs, destroy
 * networks, stop what was billed, release the capacity — and the run fails with the step's code.
 * Started again after it succeeded, it finds the version running and changes nothing.
 */
export async function provisionSolution(input: ProvisionSolutionInput): Promise<EnvironmentOutcome> {
  const problems = planProblems(input?.plan);
  if (problems.length) throw invalidPlan(problems);
  const { plan, requestedBy } = input;
  const { solutionId } = plan;
  const info = workflowInfo();
  const run = { workflowId: info.workflowId, runId: info.runId };
  const steps = provisionSteps(plan);
  const progress = new ProgressTracker(solutionId, 'provision');
  progress.plan(steps, planResources(plan, 'pending'));

  const claim = await records.claimEnvironment({ operation: 'provision', run, solutionId, requestedBy, plan });
  if (claim.outcome === 'done') {
    for (const step of steps) progress.mark(step.id, 'done');
    progress.enter('done');
    return { solutionId, operation: 'provision', status: 'unchanged', designVersionId: plan.designVersionId, hostId: claim.hostId, hostName: claim.hostName };
  }

  const saga = new Saga();
  let failedStep: string | undefined;
  const at = (step: string, phase: ProvisioningPhase): EnvironmentStepInput => ({ solutionId, run, step, phase });
  async function step<T>(id: string, phase: ProvisioningPhase, work: () => Promise<T>): Promise<T> {
    progress.enter(phase);
    try {
      const result = await work();
      progress.mark(id, 'done');
      return result;
    } catch (error) {
      progress.mark(id, 'failed');
      failedStep ??= id;
      throw error;
    }
  }
  const undoStep = (id: string, phase: ProvisioningPhase, work: () => Promise<unknown>) =>
    saga.add({
      step: id,
      undo: async () => {
        await work();
        progress.mark(id, 'undone');
      },
    });

  try {
    const placed = await step('place', 'placing', () => records.placeEnvironment(at('place', 'placing')));
    undoStep('place', 'undoing', () => undo.releaseEnvironmentCapacity({ ...at('place', 'undoing'), undo: true }));
    // Runs after every destroy: stops whatever had been billed.
    undoStep('record', 'undoing', () => undo.recordEnvironmentUsage({ ...at('record', 'undoing'), undo: true, specsFrom: 'plan' }));

    await Promise.all(
      plan.networks.map(async (network) => {
        const id = `network:${network.key}`;
        undoStep(id, 'undoing', async () => {
          await undo.destroyEnvironmentNetwork({ ...at(id, 'undoing'), key: network.key, undo: true });
          progress.resource('network', network.key, 'destroyed');
        });
        const made = await step(id, 'networks', () => hypervisor.createEnvironmentNetwork({ ...at(id, 'networks'), key: network.key }));
        progress.resource('network', network.key, 'running', made.hypervisorId);
      }),
    );

    // Every VM's undo is registered before any clone starts: a clone that fails halfway may leave a
    // VM or disks behind, and destroying what is not there is a no-op.
    for (const vm of plan.vms) {
      undoStep(`vm:${vm.key}:create`, 'undoing', async () => {
        await undo.destroyEnvironmentVm({ ...at(`vm:${vm.key}:create`, 'undoing'), key: vm.key, undo: true });
        progress.vmAndAttached(plan, vm.key, 'destroyed');
      });
    }
    const vms = await Promise.allSettled(
      plan.vms.map(async (vm) => {
        const made = await step(`vm:${vm.key}:create`, 'vms', () => hypervisor.createEnvironmentVm({ ...at(`vm:${vm.key}:create`, 'vms'), key: vm.key }));
        progress.resource('vm', vm.key, 'created', made.hypervisorId);
        if (needsAttach(plan, vm.key)) {
          await step(`vm:${vm.key}:attach`, 'attaching', () => hypervisor.attachEnvironmentVm({ ...at(`vm:${vm.key}:attach`, 'attaching'), key: vm.key }));
        }
        await step(`vm:${vm.key}:power-on`, 'powering-on', () =>
          hypervisor.powerOnEnvironmentVm({ ...at(`vm:${vm.key}:power-on`, 'powering-on'), key: vm.key }),
        );
        progress.vmAndAttached(plan, vm.key, 'running');
      }),
    );
    const rejected = vms.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;

    await step('record', 'recording', () => records.recordEnvironmentUsage({ ...at('record', 'recording'), specsFrom: 'plan' }));
    const outcome = await records.finishEnvironment({ solutionId, run, state: 'running', phase: 'done' });
    progress.enter('done');
    return { ...outcome, hostId: placed.hostId, hostName: placed.hostName };
  } catch (error) {
    const failure = failureOf(error, failedStep);
    progress.fail(failure);
    if (failedStep) await records.recordEnvironmentStep({ ...at(failedStep, 'undoing'), status: 'failed', message: `${failure.code}: ${failure.message}` });
    progress.enter('undoing');
    const undoFailures = await saga.compensate();
    for (const undone of undoFailures) {
      await records.recordEnvironmentStep({ ...at(undone.step, 'undoing'), status: 'undo-failed', message: undone.message });
    }
    // Undone: nothing is left and the capacity is back (failed); an undo that failed leaves the environment for an operator (error).
    const outcome = await records.finishEnvironment({ solutionId, run, state: undoFailures.length ? 'error' : 'failed', phase: 'failed', error: failure });
    progress.enter('failed');
    throw failRun('provisioning', failure, { ...outcome, ...(undoFailures.length ? { undoFailures } : {}) });
  }
}
