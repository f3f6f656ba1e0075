import { proxyActivities } from '@temporalio/workflow';
import type { ScheduledBillingActivities, ScheduledBillingRunInput, StartScheduledRunResult } from '@wholesail/contracts';

const { startScheduledBillingRun } = proxyActivities<ScheduledBillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 50 },
});

/**
 * What the `billing-monthly` schedule starts on the 1st of each month: the billing run of the month
 * that has just ended, created and started as the API does (`billing-run:<period>`). A period
 * already finalised, or with a run under way, is left alone and said so.
 */
export async function scheduledBillingRun(input: ScheduledBillingRunInput = {}): Promise<StartScheduledRunResult> {
  return startScheduledBillingRun({ at: new Date().toISOString(), ...(input.period ? { period: input.period } : {}) });
}
