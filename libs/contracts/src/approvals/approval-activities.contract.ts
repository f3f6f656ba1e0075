import type { ApprovalClosure, ApprovalPolicy, ApprovalTaskStatus, Role } from '@wholesail/domain';
import type { ApprovalTaskView, DecisionInput } from './approval-task.contract';

/** One accepted decision to record, with the task's status after it. */
export interface RecordDecisionInput {
  /** `approvalDecisionId(taskId, userId)`: one decision per user per task. */
  decisionId: string;
  workflowId: string;
  decision: DecisionInput;
  /** ISO 8601, workflow time. */
  decidedAt: string;
  /** Set when this decision closed the task. */
  outcome?: ApprovalTaskStatus;
  taskStatus: ApprovalTaskStatus;
}

export interface CloseApprovalTaskInput {
  taskId: string;
  status: ApprovalClosure;
  /** ISO 8601, workflow time. */
  closedAt: string;
}

export interface ResolveApproversInput {
  role: Role;
  partyId: string;
}

export interface ApproverReminderInput {
  taskId: string;
  round: number;
  /** 1, 2, … per wait; a reminder that was due while the worker was away is sent once, under the latest number. */
  reminderNo: number;
  /** `<taskId>:reminder:<n>`: one reminder mail per approver per key, ever. */
  idempotencyKey: string;
  /** ISO 8601. */
  dueAt: string;
  policy: ApprovalPolicy;
  /** In "all of" mode: the named approvers who have not approved yet (only they are reminded). */
  pendingApproverIds?: string[];
}

/**
 * The approval step's activities (implemented by a Nest service in activities/approvals), called by
 * the workflow-side step in workflows/approvals for every workflow with human steps. Their names are
 * part of the saved histories: never rename one. Temporal may run any of them more than once, so
 * each is idempotent given its arguments (the key is named per method) and checks before it writes.
 */
export interface ApprovalActivities {
  /**
   * Writes the inbox task as given (status 'open') and e-mails each approver the policy names.
   * Key: task.taskId; an existing task is left as is, and each approver gets one mail per task, ever.
   */
  openApprovalTask(task: ApprovalTaskView): Promise<void>;

  /**
   * Records one accepted decision: who, when, what, and the task's status after it (adds the
   * approver to the task's approvals, closes it when `outcome` is set). Key: decisionId.
   */
  recordDecision(input: RecordDecisionInput): Promise<void>;

  /** Closes the task with its final status. Key: taskId; closing a closed task is a no-op. */
  closeApprovalTask(input: CloseApprovalTaskInput): Promise<void>;

  /** Read-only: the active users holding `role` at `partyId` now ("all of" without named approvers). */
  resolveApprovers(input: ResolveApproversInput): Promise<string[]>;

  /**
   * Reminds the task's approvers who have not decided (`pendingApproverIds` in "all of" mode,
   * else everyone the policy names). Key: idempotencyKey.
   */
  sendApproverReminder(input: ApproverReminderInput): Promise<void>;
}
