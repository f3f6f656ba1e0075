import type { EnvironmentOutcome, ResizeSolutionInput } from '@wholesail/contracts';
import { diffPlans, planProblems, ProvisioningErrorCode, resizeSteps } from '@wholesail/domain';
import { hypervisor, records, undo } from './activities';
import { invalidPlan } from './failures';
import { planResources, ProgressTracker } from './progress';
import { ProvisioningRun } from './provisioning-run';

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
  const progress = new ProgressTracker(solutionId, 'resize');
  const run = new ProvisioningRun(solutionId, progress);

  const claim = await records.claimEnvironment({ operation: 'resize', run: run.run, solutionId, requestedBy, plan: target });
  if (claim.outcome === 'done') {
    progress.enter('done');
    return { solutionId, operation: 'resize', status: 'unchanged', designVersionId: target.designVersionId, hostId: claim.hostId, hostName: claim.hostName };
  }
  const current = claim.plan;
  const diff = diffPlans(current, target);
  progress.plan(resizeSteps(target, diff), [
    ...planResources(current, 'running'),
    ...planResources({ ...target, networks: diff.addNetworks, vms: diff.addVms, volumes: [], publicIps: [] }, 'pending'),
  ]);

  if (diff.unsupported.length) {
    const failure = {
      code: ProvisioningErrorCode.UnsupportedChange,
      message: diff.unsupported.map((problem) => `${problem.field} ${problem.problem}`).join('; '),
    };
    progress.fail(failure);
    throw await run.finishFailed('resize', 'running', failure, { fields: diff.unsupported });
  }

  let committed = false; // past the point of no return
  try {
    await run.step('place', 'placing', () => records.growEnvironmentCapacity(run.at('place', 'placing')));
    run.onUndo('place', () => undo.settleEnvironmentCapacity({ ...run.at('place', 'undoing'), undo: true }));
    // After the undos below: back to the old version's billing lines, stops for what was added.
    run.onUndo('record', () => undo.recordEnvironmentUsage({ ...run.at('record', 'undoing'), undo: true, specsFrom: 'plan' }));
    await run.createNetworks(diff.addNetworks);
    await run.buildVms(target, diff.addVms);
    // One VM at a time: each is powered off while it changes.
    for (const resize of diff.resizeVms) {
      const id = `vm:${resize.key}:resize`;
      run.onUndo(id, () => undo.resizeEnvironmentVm({ ...run.at(id, 'undoing'), key: resize.key, to: resize.from, undo: true }));
      await run.step(id, 'resizing-vms', () => hypervisor.resizeEnvironmentVm({ ...run.at(id, 'resizing-vms'), key: resize.key, to: resize.to }));
    }
    await run.step('record', 'recording', () => records.recordEnvironmentUsage({ ...run.at('record', 'recording'), specsFrom: 'target' }));

    committed = true;
    for (const vm of diff.removeVms) {
      const id = `vm:${vm.key}:destroy`;
      await run.step(id, 'removing', () => hypervisor.destroyEnvironmentVm({ ...run.at(id, 'removing'), key: vm.key }));
      progress.vmAndAttached(current, vm.key, 'destroyed');
    }
    for (const network of diff.removeNetworks) {
      const id = `network:${network.key}:destroy`;
      await run.step(id, 'removing', () => hypervisor.destroyEnvironmentNetwork({ ...run.at(id, 'removing'), key: network.key }));
      progress.resource('network', network.key, 'destroyed');
    }
    await run.step('settle', 'finishing', async () => {
      await records.recordEnvironmentUsage({ ...run.at('settle', 'finishing'), specsFrom: 'target' });
      await records.settleEnvironmentCapacity(run.at('settle', 'finishing'));
    });
    const outcome = await records.finishEnvironment({ solutionId, run: run.run, state: 'running', phase: 'done' });
    progress.enter('done');
    return outcome;
  } catch (error) {
    const failure = await run.failed(error);
    // Past the point of no return: what the new version dropped could not all be removed.
    if (committed) throw await run.finishFailed('resize', 'error', failure);
    const undoFailures = await run.undo();
    // Undone: the environment runs its old version (with the error recorded); a failed undo leaves it for an operator.
    throw await run.finishFailed('resize', undoFailures.length ? 'error' : 'running', failure, undoFailures.length ? { undoFailures } : {});
  }
}
