import { Context } from '@temporalio/activity';

/**
 * Runs long activity work while heartbeating every `everyMs`, so that a worker that dies mid-page
 * is noticed after the activity's heartbeat timeout (and the page retried elsewhere) instead of
 * after its whole start-to-close timeout. Outside an activity (a test calling the service) it just
 * runs the work.
 */
export async function withHeartbeat<T>(work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
