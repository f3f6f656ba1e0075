import type { EnvironmentOutcome, ProvisionSolutionInput } from '@wholesail/contracts';
import { planProblems, provisionSteps } from '@wholesail/domain';
import { records, undo } from './activities';
import { invalidPlan } from './failures';
import { planResources, ProgressTracker } from './progress';
import { ProvisioningRun } from './provisioning-run';

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
  const steps = provisionSteps(plan);
  const progress = new ProgressTracker(solutionId, 'provision');
  progress.plan(steps, planResources(plan, 'pending'));
  const run = new ProvisioningRun(solutionId, progress);

  const claim = await records.claimEnvironment({ operation: 'provision', run: run.run, solutionId, requestedBy, plan });
  if (claim.outcome === 'done') {
    for (const step of steps) progress.mark(step.id, 'done');
    progress.enter('done');
    return { solutionId, operation: 'provision', status: 'unchanged', designVersionId: plan.designVersionId, hostId: claim.hostId, hostName: claim.hostName };
  }

  try {
    const placed = await run.step('place', 'placing', () => records.placeEnvironment(run.at('place', 'placing')));
    run.onUndo('place', () => undo.releaseEnvironmentCapacity({ ...run.at('place', 'undoing'), undo: true }));
    // Runs after every destroy: stops whatever had been billed.
    run.onUndo('record', () => undo.recordEnvironmentUsage({ ...run.at('record', 'undoing'), undo: true, specsFrom: 'plan' }));
    await run.createNetworks(plan.networks);
    await run.buildVms(plan, plan.vms);
    await run.step('record', 'recording', () => records.recordEnvironmentUsage({ ...run.at('record', 'recording'), specsFrom: 'plan' }));
    const outcome = await records.finishEnvironment({ solutionId, run: run.run, state: 'running', phase: 'done' });
    progress.enter('done');
    return { ...outcome, hostId: placed.hostId, hostName: placed.hostName };
  } catch (error) {
    const failure = await run.failed(error);
    const undoFailures = await run.undo();
    // Undone: nothing is left and the capacity is back (failed); an undo that failed leaves the environment for an operator (error).
    throw await run.finishFailed('provisioning', undoFailures.length ? 'error' : 'failed', failure, undoFailures.length ? { undoFailures } : {});
  }
}
