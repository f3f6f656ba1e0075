import { ApplicationFailure } from '@temporalio/workflow';
import type { DeprovisionSolutionInput, EnvironmentOutcome } from '@wholesail/contracts';
import { deprovisionSteps, ProvisioningErrorCode } from '@wholesail/domain';
import { hypervisor, records } from './activities';
import { ProgressTracker } from './progress';
import { ProvisioningRun } from './provisioning-run';

/**
 * Takes a solution's environment down (`deprovisioning:<solutionId>:<request>`): power off and
 * destroy every VM with its disks (in parallel), destroy the networks, record the stop events,
 * release the capacity → deprovisioned. Every step only moves forward and is retried with backoff;
 * a step that fails for good leaves the environment in `error` with what remains, for an operator
 * (a new deprovisioning picks up from there). An environment already gone is left alone.
 */
export async function deprovisionSolution(input: DeprovisionSolutionInput): Promise<EnvironmentOutcome> {
  if (typeof input?.solutionId !== 'string' || !input.solutionId) {
    throw ApplicationFailure.create({ type: ProvisioningErrorCode.EnvironmentNotFound, message: 'solutionId is required', nonRetryable: true });
  }
  const { solutionId, requestedBy } = input;
  const progress = new ProgressTracker(solutionId, 'deprovision');
  const run = new ProvisioningRun(solutionId, progress);

  const claim = await records.claimEnvironment({ operation: 'deprovision', run: run.run, solutionId, requestedBy });
  progress.plan(deprovisionSteps(claim.liveVms, claim.liveNetworks), [
    ...claim.liveNetworks.map((key) => ({ kind: 'network' as const, key, state: 'running' as const })),
    ...claim.liveVms.map((key) => ({ kind: 'vm' as const, key, state: 'running' as const })),
  ]);
  if (claim.outcome === 'done') {
    progress.enter('done');
    return { solutionId, operation: 'deprovision', status: 'deprovisioned', designVersionId: claim.plan.designVersionId };
  }

  try {
    const vms = await Promise.allSettled(
      claim.liveVms.map(async (key) => {
        const id = `vm:${key}:destroy`;
        await run.step(id, 'removing', () => hypervisor.destroyEnvironmentVm({ ...run.at(id, 'removing'), key }));
        progress.resource('vm', key, 'destroyed');
      }),
    );
    const rejected = vms.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
    for (const key of claim.liveNetworks) {
      const id = `network:${key}:destroy`;
      await run.step(id, 'removing', () => hypervisor.destroyEnvironmentNetwork({ ...run.at(id, 'removing'), key }));
      progress.resource('network', key, 'destroyed');
    }
    await run.step('record', 'recording', () => records.recordEnvironmentUsage({ ...run.at('record', 'recording'), specsFrom: 'plan' }));
    await run.step('release', 'finishing', () => records.releaseEnvironmentCapacity(run.at('release', 'finishing')));
    const outcome = await records.finishEnvironment({ solutionId, run: run.run, state: 'deprovisioned', phase: 'done' });
    progress.enter('done');
    return outcome;
  } catch (error) {
    throw await run.finishFailed('deprovisioning', 'error', await run.failed(error));
  }
}
