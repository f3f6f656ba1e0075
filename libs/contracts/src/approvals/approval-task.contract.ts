import type { ApprovalChoice, ApprovalDecisionKind, ApprovalOutcome, ApprovalPolicy, ApprovalRecord, ApprovalTaskStatus, Decider } from '@wholesail/domain';

/**
 * The approval inbox's view of a human step, generic over every workflow with such steps
 * (onboarding, solution approval, billing runs). The approval step (workflows/approvals) builds it
 * when a task opens, writes it through the approval activities, and returns the open ones from
 * `openTasksQuery`.
 */
export interface ApprovalTaskView {
  /** `approvalTaskId(businessKey, stepKey, round)`: deterministic, so re-opening is idempotent. */
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

/**
 * Deterministic task id: the same step of the same round of the same process is one task. The key
 * is the workflow's business key (its workflow ID in production), never read from workflowInfo():
 * a replay runs under another ID and must derive the same task ids.
 */
export function approvalTaskId(businessKey: string, stepKey: string, round: number): string {
  return `${businessKey}:${stepKey}:${round}`;
}

/** Business key of one decision: one user decides a task at most once. */
export function approvalDecisionId(taskId: string, userId: string): string {
  return `${taskId}:${userId}`;
}
