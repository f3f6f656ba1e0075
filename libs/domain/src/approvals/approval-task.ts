import { DomainError } from '../errors';
import { ApprovalErrorCode } from './approval-errors';
import {
  APPROVAL_DECISIONS,
  isEligible,
  outcomeOf,
  type ApprovalClosure,
  type ApprovalChoice,
  type ApprovalOutcome,
  type ApprovalPolicy,
  type ApprovalTaskStatus,
  type Decider,
} from './approval-policy';

/** One accepted decision: who, when and what. */
export interface ApprovalRecord {
  userId: string;
  email?: string;
  partyId: string;
  decision: ApprovalChoice['decision'];
  comment?: string;
  /** ISO 8601 instant. */
  at: string;
}

/**
 * A human step's state, as the owning workflow holds it. Plain JSON (ISO instants) so it can be
 * returned from queries and written by activities as is. Transitions only through this module.
 */
export interface ApprovalTaskState {
  taskId: string;
  policy: ApprovalPolicy;
  openedAt: string;
  dueAt: string;
  status: ApprovalTaskStatus;
  /** Every accepted decision in order: the approvals so far and, once decided, the deciding one. */
  decisions: ApprovalRecord[];
  closedAt?: string;
}

export interface OpenTaskInput {
  taskId: string;
  policy: ApprovalPolicy;
  openedAt: Date;
  dueAt: Date;
}

export interface DecisionApplied {
  state: ApprovalTaskState;
  /** Set when this decision closed the task; absent for an approval that still waits for others. */
  outcome?: ApprovalOutcome;
  record: ApprovalRecord;
}

/** Opens a task. An "all of" policy must name its approvers (duplicates are dropped). */
export function openTask(input: OpenTaskInput): ApprovalTaskState {
  const { policy } = input;
  const approverIds = policy.approverIds === undefined ? undefined : [...new Set(policy.approverIds)];
  if (policy.mode === 'all' && (approverIds === undefined || approverIds.length === 0)) {
    throw DomainError.invalid(ApprovalErrorCode.InvalidPolicy, 'policy.approverIds', 'must name at least one approver when every approver must approve');
  }
  if (!(input.dueAt.getTime() > input.openedAt.getTime())) {
    throw DomainError.invalid(ApprovalErrorCode.InvalidPolicy, 'dueAt', 'must be after the task opens');
  }
  return {
    taskId: input.taskId,
    policy: approverIds === undefined ? { ...policy } : { ...policy, approverIds },
    openedAt: input.openedAt.toISOString(),
    dueAt: input.dueAt.toISOString(),
    status: 'open',
    decisions: [],
  };
}

export function approvalsOf(state: ApprovalTaskState): ApprovalRecord[] {
  return state.decisions.filter((d) => d.decision === 'approve');
}

/** In "all of" mode, the named approvers who have not approved yet; empty in 'any' mode. */
export function pendingApprovers(state: ApprovalTaskState): string[] {
  if (state.policy.mode !== 'all') return [];
  const approved = new Set(approvalsOf(state).map((a) => a.userId));
  return (state.policy.approverIds ?? []).filter((id) => !approved.has(id));
}

/**
 * Why `decider` may not make `decision` on the task at `now`, or undefined when they may. Checked
 * in this order, so a caller learns no more than it should: an unknown task, a malformed decision,
 * someone else's task, a closed task (expired tasks say so), a second approval by the same user,
 * a deadline that has passed, a missing comment.
 */
export function validateDecision(state: ApprovalTaskState | undefined, decision: ApprovalChoice, decider: Decider, now: Date): DomainError | undefined {
  if (state === undefined) return DomainError.notFound(ApprovalErrorCode.UnknownTask, 'there is no such approval task in this process');
  if (!APPROVAL_DECISIONS.includes(decision?.decision)) {
    return DomainError.invalid(ApprovalErrorCode.InvalidDecision, 'decision', `must be one of ${APPROVAL_DECISIONS.join(', ')}`);
  }
  if (typeof decider?.userId !== 'string' || decider.userId === '' || !Array.isArray(decider.roles)) {
    return DomainError.invalid(ApprovalErrorCode.InvalidDecision, 'decider', 'must name the deciding user, its party and roles');
  }
  if (!isEligible(state.policy, decider)) {
    return DomainError.forbidden(ApprovalErrorCode.NotYours, 'this approval task is not yours to decide');
  }
  if (state.status === 'expired') return DomainError.conflict(ApprovalErrorCode.Expired, `this approval task expired at ${state.dueAt}`);
  if (state.status !== 'open') return DomainError.conflict(ApprovalErrorCode.AlreadyDecided, `this approval task is already closed (${state.status})`);
  if (state.decisions.some((d) => d.userId === decider.userId)) {
    return DomainError.conflict(ApprovalErrorCode.AlreadyDecided, 'you have already approved this task; it waits for the other approvers');
  }
  if (now.getTime() >= Date.parse(state.dueAt)) return DomainError.conflict(ApprovalErrorCode.Expired, `this approval task expired at ${state.dueAt}`);
  if (decision.decision !== 'approve' && (decision.comment ?? '').trim() === '') {
    return DomainError.invalid(ApprovalErrorCode.CommentRequired, 'comment', `is required to ${decision.decision === 'reject' ? 'reject' : 'request changes'}`);
  }
  return undefined;
}

/**
 * Applies a decision. 'any' mode: the decision decides. 'all' mode: an approval is recorded and
 * decides only when it is the last one needed; a rejection or a request for changes decides at
 * once. Throws the validation error when the decision is not allowed (callers validate first).
 */
export function applyDecision(state: ApprovalTaskState, decision: ApprovalChoice, decider: Decider, at: Date): DecisionApplied {
  const refusal = validateDecision(state, decision, decider, at);
  if (refusal) throw refusal;
  const comment = decision.comment?.trim();
  const record: ApprovalRecord = {
    userId: decider.userId,
    ...(decider.email === undefined ? {} : { email: decider.email }),
    partyId: decider.partyId,
    decision: decision.decision,
    ...(comment ? { comment } : {}),
    at: at.toISOString(),
  };
  const next: ApprovalTaskState = { ...state, decisions: [...state.decisions, record] };
  const decides = decision.decision !== 'approve' || state.policy.mode === 'any' || pendingApprovers(next).length === 0;
  if (!decides) return { state: next, record };
  const outcome = outcomeOf(decision.decision);
  return { state: { ...next, status: outcome, closedAt: record.at }, outcome, record };
}

/** Closes an open task without a decision; a task that is already closed is returned unchanged. */
export function closeTask(state: ApprovalTaskState, status: ApprovalClosure, at: Date): ApprovalTaskState {
  if (state.status !== 'open') return state;
  return { ...state, status, closedAt: at.toISOString() };
}

/** Whether the task belongs in `decider`'s inbox now: open, theirs, not yet approved by them, not past due. */
export function mayDecide(state: ApprovalTaskState, decider: Decider, now: Date): boolean {
  return validateDecision(state, { decision: 'approve' }, decider, now) === undefined;
}
