import { condition } from '@temporalio/workflow';

/**
 * Reminders per wait are capped so that a short reminder interval against a long deadline cannot
 * grow the history without bound (with a cap on rounds, a run stays far below Temporal's limits).
 */
export const DEFAULT_MAX_REMINDERS = 10;

export interface BoundedWaitOptions {
  /** Epoch milliseconds (workflow time) the wait began; reminders count from here. */
  openedAt: number;
  /** Epoch milliseconds of the deadline. */
  dueAt: number;
  reminderEveryMs: number;
  /** At most this many reminders; `DEFAULT_MAX_REMINDERS` when absent. */
  maxReminders?: number;
  /** What the wait is for (a decision, a resubmission, a caller's interruption). */
  done: () => boolean;
  /** At the deadline the wait expires only once this holds (e.g. no decision is still being recorded). Always, when absent. */
  canExpire?: () => boolean;
  /** Sends reminder `reminderNo` (1, 2, …); a reminder due while the worker was away is sent once, under the latest number. */
  remind: (reminderNo: number) => Promise<void>;
}

/**
 * Waits until `done`, reminding every `reminderEveryMs` from `openedAt` (at most `maxReminders`
 * times), until `dueAt`. Each pass is one durable timer: `condition` with a timeout, so the wait
 * survives worker restarts and costs nothing while it sleeps.
 */
export async function boundedWait(opts: BoundedWaitOptions): Promise<'done' | 'expired'> {
  const maxReminders = opts.maxReminders ?? DEFAULT_MAX_REMINDERS;
  const canExpire = opts.canExpire ?? (() => true);
  let reminders = 0;
  for (;;) {
    if (opts.done()) return 'done';
    const now = Date.now();
    if (now >= opts.dueAt) {
      if (canExpire()) return 'expired';
      await condition(() => opts.done() || canExpire());
      continue;
    }
    const nextReminderAt = reminders < maxReminders ? opts.openedAt + (reminders + 1) * opts.reminderEveryMs : Infinity;
    if (nextReminderAt <= now) {
      reminders = Math.min(maxReminders, Math.floor((now - opts.openedAt) / opts.reminderEveryMs));
      await opts.remind(reminders);
      continue;
    }
    await condition(opts.done, Math.min(opts.dueAt, nextReminderAt) - now);
  }
}
