import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { decideUpdate, openTasksQuery, type ApprovalTaskView, type DecisionInput } from '@wholesail/contracts';
import type { Decider } from '@wholesail/domain';
import { waitFor } from './wait-for';

/**
 * Driving a workflow's approval step (workflows/approvals) from a workflow test: decide a task as
 * someone, read a refusal's code, wait for a step's task to open.
 */
export function decide(handle: WorkflowHandle, taskId: string, decider: Decider, decision: DecisionInput['decision'] = 'approve', comment?: string) {
  return handle.executeUpdate(decideUpdate, { args: [{ taskId, decision, decider, ...(comment === undefined ? {} : { comment }) }] });
}

/** The failure type of an update its validator refused (the `APPROVAL_*` code). */
export async function refusalOf(update: Promise<unknown>): Promise<string | undefined> {
  const error = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

/** The open task of `stepKey` in `round`, once the workflow accepts decisions on it. */
export function openTaskOf(handle: WorkflowHandle, stepKey: string, round = 1): Promise<ApprovalTaskView> {
  return waitFor(async () => (await handle.query(openTasksQuery)).find((t) => t.stepKey === stepKey && t.round === round), 20_000, 50);
}
