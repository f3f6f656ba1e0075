import { workflowInfo } from '@temporalio/workflow';
import type { EnvironmentOutcome, EnvironmentStepInput, ResizeSolutionInput } from '@wholesail/contracts';
import { diffPlans, needsAttach, planProblems, ProvisioningErrorCode, resizeSteps, type ProvisioningPhase } from '@wholesail/domain';
import { hypervisor, records, undo } from './activities';
import { failRun, failureOf, invalidPlan } from './failures';
import { planResources, ProgressTracker } from './progress';
import { Saga } from './saga';

/**
 * Applies a new approved design version to a running environment as a diff of the two plans
 * (`resize:<solutionId>:<designVersionId>`): grow the reservation to cover both versions → add
 * networks → add VMs (clone, attach, power on) → resize VMs (power off, resize, power on: the
 * drivers resize only powered-off VMs) → record start and change events. Up to here it is a saga:
 * a failure undoes the additions and resizes and the environment keeps running its old version.
 * Then, past the point of no return, the VMs and networks the new version drops are destroyed
 * (stop events) and the reservation settles at what the new version takes. A change the drivers
 * cannot make in place (a VM's template or networks, a shrinking disk) refuses the whole resize
 * before anything changes.
 */
export async function resizeSolution(input: ResizeSolutionInput): Promise<EnvironmentOutcome> {
  const problems = planProblems(input?.plan);
  if (problems.length) throw invalidPlan(problems);
  const { plan: target, requestedBy } = input;
  const { solutionId } = target;
  const info = workflowInfo();
  const run = { workflowId: info.workflowId, runId: info.runId };
  const progress = new ProgressTracker(solutionId, 'resize');

  const claim = await records.claimEnvironment({ operation: 'resize', run, solutionId, requestedBy, plan: target });
  if (claim.outcome === 'done') {
    progress.enter('done');
    return { solutionId, operation: 'resize', status: 'unchanged', designVersionId: target.designVersionId, hostId: claim.hostId, hostName: claim.hostName };
  }
  const current = claim.plan;
  const diff = diffPlans(current, target);
  const steps = resizeSteps(target, diff);
  progress.plan(steps, [
    ...planResources(current, 'running'),
    ...planResources({ ...target, networks: diff.addNetworks, vms: diff.addVms, volumes: [], publicIps: [] }, 'pending'),
  ]);
  const at = (step: string, phase: ProvisioningPhase): EnvironmentStepInput => ({ solutionId, run, step, phase });

  if (diff.unsupported.length) {
    const failure = {
      code: ProvisioningErrorCode.UnsupportedChange,
      message: diff.unsupported.map((problem) => `${problem.field} ${problem.problem}`).join('; '),
    };
    progress.fail(failure);
    const outcome = await records.finishEnvironment({ solutionId, run, state: 'running', phase: 'failed', error: failure });
    progress.enter('failed');
    throw failRun('resize', failure, { ...outcome, fields: diff.unsupported });
  }

  const saga = new Saga();
  let failedStep: string | undefined;
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
  const undoStep = (id: string, work: () => Promise<unknown>) =>
    saga.add({
      step: id,
      undo: async () => {
        await work();
        progress.mark(id, 'undone');
      },
    });

  let committed = false; // past the point of no return
  try {
    await step('place', 'placing', () => records.growEnvironmentCapacity(at('place', 'placing')));
    undoStep('place', () => undo.settleEnvironmentCapacity({ ...at('place', 'undoing'), undo: true }));
    // After the undos below: back to the old version's billing lines, stops for what was added.
    undoStep('record', () => undo.recordEnvironmentUsage({ ...at('record', 'undoing'), undo: true, specsFrom: 'plan' }));

    for (const network of diff.addNetworks) {
      const id = `network:${network.key}`;
      undoStep(id, async () => {
        await undo.destroyEnvironmentNetwork({ ...at(id, 'undoing'), key: network.key, undo: true });
        progress.resource('network', network.key, 'destroyed');
      });
      const made = await step(id, 'networks', () => hypervisor.createEnvironmentNetwork({ ...at(id, 'networks'), key: network.key }));
      progress.resource('network', network.key, 'running', made.hypervisorId);
    }
    for (const vm of diff.addVms) {
      undoStep(`vm:${vm.key}:create`, async () => {
        await undo.destroyEnvironmentVm({ ...at(`vm:${vm.key}:create`, 'undoing'), key: vm.key, undo: true });
        progress.vmAndAttached(target, vm.key, 'destroyed');
      });
    }
    const added = await Promise.allSettled(
      diff.addVms.map(async (vm) => {
        const made = await step(`vm:${vm.key}:create`, 'vms', () => hypervisor.createEnvironmentVm({ ...at(`vm:${vm.key}:create`, 'vms'), key: vm.key }));
        progress.resource('vm', vm.key, 'created', made.hypervisorId);
        if (needsAttach(target, vm.key)) {
          await step(`vm:${vm.key}:attach`, 'attaching', () => hypervisor.attachEnvironmentVm({ ...at(`vm:${vm.key}:attach`, 'attaching'), key: vm.key }));
        }
        await step(`vm:${vm.key}:power-on`, 'powering-on', () =>
          hypervisor.powerOnEnvironmentVm({ ...at(`vm:${vm.key}:power-on`, 'powering-on'), key: vm.key }),
        );
        progress.vmAndAttached(target, vm.key, 'running');
      }),
    );
    const rejected = added.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;

    // One VM at a time: each is powered off while it changes.
    for (const resize of diff.resizeVms) {
      const id = `vm:${resize.key}:resize`;
      undoStep(id, () => undo.resizeEnvironmentVm({ ...at(id, 'undoing'), key: resize.key, to: resize.from, undo: true }));
      await step(id, 'resizing-vms', () => hypervisor.resizeEnvironmentVm({ ...at(id, 'resizing-vms'), key: resize.key, to: resize.to }));
    }
    await step('record', 'recording', () => records.recordEnvironmentUsage({ ...at('record', 'recording'), specsFrom: 'target' }));

    committed = true;
    for (const vm of diff.removeVms) {
      await step(`vm:${vm.key}:destroy`, 'removing', () => hypervisor.destroyEnvironmentVm({ ...at(`vm:${vm.key}:destroy`, 'removing'), key: vm.key }));
      progress.vmAndAttached(current, vm.key, 'destroyed');
    }
    for (const network of diff.removeNetworks) {
      await step(`network:${network.key}:destroy`, 'removing', () =>
        hypervisor.destroyEnvironmentNetwork({ ...at(`network:${network.key}:destroy`, 'removing'), key: network.key }),
      );
      progress.resource('network', network.key, 'destroyed');
    }
    await step('settle', 'finishing', async () => {
      await records.recordEnvironmentUsage({ ...at('settle', 'finishing'), specsFrom: 'target' });
      await records.settleEnvironmentCapacity(at('settle', 'finishing'));
    });
    const outcome = await records.finishEnvironment({ solutionId, run, state: 'running', phase: 'done' });
    progress.enter('done');
    return outcome;
  } catch (error) {
    const failure = failureOf(error, failedStep);
    progress.fail(failure);
    if (failedStep) await records.recordEnvironmentStep({ ...at(failedStep, 'undoing'), status: 'failed', message: `${failure.code}: ${failure.message}` });
    if (committed) {
      // Past the point of no return: what the new version dropped could not all be removed.
      const outcome = await records.finishEnvironment({ solutionId, run, state: 'error', phase: 'failed', error: failure });
      progress.enter('failed');
      throw failRun('resize', failure, outcome);
    }
    progress.enter('undoing');
    const undoFailures = await saga.compensate();
    for (const undone of undoFailures) {
      await records.recordEnvironmentStep({ ...at(undone.step, 'undoing'), status: 'undo-failed', message: undone.message });
    }
    // Undone: the environment runs its old version (with the error recorded); a failed undo leaves it for an operator.
    const outcome = await records.finishEnvironment({ solutionId, run, state: undoFailures.length ? 'error' : 'running', phase: 'failed', error: failure });
    progress.enter('failed');
    throw failRun('resize', failure, { ...outcome, ...(undoFailures.length ? { undoFailures } : {}) });
  }
}
