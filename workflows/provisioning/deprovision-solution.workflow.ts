import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { DeprovisionSolutionInput, EnvironmentOutcome, EnvironmentStepInput } from '@wholesail/contracts';
import { deprovisionSteps, ProvisioningErrorCode, type ProvisioningPhase } from '@wholesail/domain';
import { hypervisor, records } from './activities';
import { failRun, failureOf } from './failures';
import { ProgressTracker } from './progress';

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
  const info = workflowInfo();
  const run = { workflowId: info.workflowId, runId: info.runId };
  const progress = new ProgressTracker(solutionId, 'deprovision');

  const claim = await records.claimEnvironment({ operation: 'deprovision', run, solutionId, requestedBy });
  const steps = deprovisionSteps(claim.liveVms, claim.liveNetworks);
  progress.plan(steps, [
    ...claim.liveNetworks.map((key) => ({ kind: 'network' as const, key, state: 'running' as const })),
    ...claim.liveVms.map((key) => ({ kind: 'vm' as const, key, state: 'running' as const })),
  ]);
  if (claim.outcome === 'done') {
    progress.enter('done');
    return { solutionId, operation: 'deprovision', status: 'deprovisioned', designVersionId: claim.plan.designVersionId };
  }

  let failedStep: string | undefined;
  const at = (step: string, phase: ProvisioningPhase): EnvironmentStepInput => ({ solutionId, run, step, phase });
  async function step(id: string, phase: ProvisioningPhase, work: () => Promise<unknown>): Promise<void> {
    progress.enter(phase);
    try {
      await work();
      progress.mark(id, 'done');
    } catch (error) {
      progress.mark(id, 'failed');
      failedStep ??= id;
      throw error;
    }
  }

  try {
    const vms = await Promise.allSettled(
      claim.liveVms.map(async (key) => {
        await step(`vm:${key}:destroy`, 'removing', () => hypervisor.destroyEnvironmentVm({ ...at(`vm:${key}:destroy`, 'removing'), key }));
        progress.resource('vm', key, 'destroyed');
      }),
    );
    const rejected = vms.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
    for (const key of claim.liveNetworks) {
      await step(`network:${key}:destroy`, 'removing', () => hypervisor.destroyEnvironmentNetwork({ ...at(`network:${key}:destroy`, 'removing'), key }));
      progress.resource('network', key, 'destroyed');
    }
    await step('record', 'recording', () => records.recordEnvironmentUsage({ ...at('record', 'recording'), specsFrom: 'plan' }));
    await step('release', 'finishing', () => records.releaseEnvironmentCapacity(at('release', 'finishing')));
    const outcome = await records.finishEnvironment({ solutionId, run, state: 'deprovisioned', phase: 'done' });
    progress.enter('done');
    return outcome;
  } catch (error) {
    const failure = failureOf(error, failedStep);
    progress.fail(failure);
    if (failedStep) await records.recordEnvironmentStep({ ...at(failedStep, 'failed'), status: 'failed', message: `${failure.code}: ${failure.message}` });
    const outcome = await records.finishEnvironment({ solutionId, run, state: 'error', phase: 'failed', error: failure });
    progress.enter('failed');
    throw failRun('deprovisioning', failure, outcome);
  }
}
