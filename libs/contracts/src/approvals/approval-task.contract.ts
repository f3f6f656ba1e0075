import type { ApprovalChoice, ApprovalDecisionKind, ApprovalOutcome, ApprovalPolicy, ApprovalRecord, ApprovalTaskStatus, Decider } from '@wholesail/domain';

/**
 * The approval inbox's view of a human step, generic over every workflow with such steps
 * (onboarding, solution approval, billing runs). Workflows build it when a task opens, write it
 * through their activities, and return the open ones from `openTasksQuery`.
 */
export interface ApprovalTaskView {
  /** `approvalTaskId(workflowId, stepKey, round)`: deterministic, so re-opening is idempotent. */
  taskId: string;
  workflowId: string;
  /** Workflow type name, e.g. 'partnerOnboarding'. */
  workflowType: string;
  /** The step within the workflow, e.g. 'sponsor', 'operator'. No ':' in it. */
  stepKey: string;
  /** 1 for the first pass; a resubmission after "request changes" opens the steps again in round 2, 3, … */
  round: number;
  title: string;
  description: string;
  subject: ApprovalSubject;
  policy: ApprovalPolicy;
  /** ISO 8601 instants. */
  openedAt: string;
  dueAt: string;
  status: ApprovalTaskStatus;
  /** The approvals collected so far ("all of" tasks collect several before they close). */
  approvals: ApprovalRecord[];
  closedAt?: string;
}

/** What the task is about, with a link the inbox can follow (relative to the API). */
export interface ApprovalSubject {
  type: string;
  id: string;
  url: string;
}

/**
 * A decision as the API sends it to the owning workflow's `decide` update. `decider` comes from the
 * authenticated caller, never from the request body: the workflow trusts it.
 */
export interface DecisionInput extends ApprovalChoice {
  taskId: string;
  decider: Decider;
}

/** The definite answer to an accepted decision. Refusals are update failures whose `type` is an `APPROVAL_*` code. */
export interface DecisionResult {
  taskId: string;
  accepted: true;
  decision: ApprovalDecisionKind;
  /** Set when this decision closed the task; absent for an approval that waits for other approvers. */
  outcome?: ApprovalOutcome;
  taskStatus: ApprovalTaskStatus;
  /** ISO 8601, workflow time. */
  decidedAt: string;
}

/** Deterministic task id: the same step of the same round of the same workflow is one task. */
export function approvalTaskId(workflowId: string, stepKey: string, round: number): string {
  return `${workflowId}:${stepKey}:${round}`;
}

/** Inverse of `approvalTaskId` (workflow IDs may contain ':', step keys may not); undefined when malformed. */
export function parseApprovalTaskId(taskId: string): { workflowId: string; stepKey: string; round: number } | undefined {
  const match = /^(.+):([^:]+):(\d+)$/.exec(taskId);
  if (!match) return undefined;
  return { workflowId: match[1], stepKey: match[2], round: Number(match[3]) };
}

/** Business key of one decision: one user decides a task at most once. */
export function approvalDecisionId(taskId: string, userId: string): string {
  return `${taskId}:${userId}`;
}
