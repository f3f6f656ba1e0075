import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { AppConfig } from '@wholesail/config';
import { BILLING_SCHEDULE_ID, SCHEDULED_BILLING_RUN_WORKFLOW, type ScheduledBillingRunInput } from '@wholesail/contracts';

/**
 * The monthly billing schedule: at 00:05 on the 1st of every month in OPERATOR_TIMEZONE, Temporal
 * starts `scheduledBillingRun`, which starts the run of the month that just ended
 * (`billing-run:<period>`). Created or brought up to date by a bootstrap step (`npm run bootstrap`,
 * which the worker also runs when it starts), never while Nest builds its modules.
 */
export function billingScheduleOptions(config: AppConfig): ScheduleOptions {
  const input: ScheduledBillingRunInput = {};
  return {
    scheduleId: BILLING_SCHEDULE_ID,
    spec: { calendars: [{ dayOfMonth: 1, hour: 0, minute: 5, comment: 'the 1st of each month, after midnight' }], timezone: config.operatorTimeZone },
    action: {
      type: 'startWorkflow',
      workflowType: SCHEDULED_BILLING_RUN_WORKFLOW,
      workflowId: BILLING_SCHEDULE_ID,
      taskQueue: config.temporal.taskQueue,
      args: [input],
    },
    // A start missed while Temporal was down is made up within a day; two never overlap.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    memo: { what: 'month-end billing: starts billing-run:<previous month>' },
  };
}

/** Creates the schedule, or updates its spec and action when it exists. Returns what it did. */
export async function ensureBillingSchedule(client: Client, config: AppConfig): Promise<'created' | 'updated'> {
  const options = billingScheduleOptions(config);
  const handle = client.schedule.getHandle(BILLING_SCHEDULE_ID);
  try {
    await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    try {
      await client.schedule.create(options);
      return 'created';
    } catch (raced) {
      // Another worker's bootstrap created it meanwhile: bring that one up to date.
      if (!(raced instanceof ScheduleAlreadyRunning)) throw raced;
    }
  }
  await handle.update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
  return 'updated';
}
