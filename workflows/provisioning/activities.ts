import { proxyActivities } from '@temporalio/workflow';
import type { ProvisioningActivities } from '@wholesail/contracts';

/** Database-only steps: quick, retried with backoff. */
export const records = proxyActivities<ProvisioningActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/**
 * Hypervisor steps: clones, power changes and destroys may take minutes and heartbeat every few
 * seconds, so a worker that dies mid-call is noticed within the heartbeat timeout and the step is
 * retried elsewhere (finding its VM by name). Unreachable hosts and timeouts are retried with
 * backoff; business faults are not retried (non-retryable failures).
 */
export const hypervisor = proxyActivities<ProvisioningActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/** Undos: the same calls, fewer attempts — a saga that cannot undo a step logs it and goes on with the rest. */
export const undo = proxyActivities<ProvisioningActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});
