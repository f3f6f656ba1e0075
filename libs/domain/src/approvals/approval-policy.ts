import type { Role } from '../parties/roles';

/** 'any': the first eligible approve or reject decides. 'all': every named approver must approve. */
export const APPROVAL_MODES = ['any', 'all'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/**
 * Who may decide a human step: users holding `role` at `partyId`. In 'all' mode `approverIds` names
 * every user whose approval is needed (resolved when the task opens, so a user added later does not
 * silently block it); in 'any' mode it optionally narrows the eligible users.
 */
export interface ApprovalPolicy {
  role: Role;
  partyId: string;
  mode: ApprovalMode;
  approverIds?: string[];
}

export const APPROVAL_DECISIONS = ['approve', 'reject', 'request-changes'] as const;
export type ApprovalDecisionKind = (typeof APPROVAL_DECISIONS)[number];

/** The authenticated user deciding, as the API resolved it (the workflow trusts the API for this). */
export interface Decider {
  userId: string;
  email?: string;
  partyId: string;
  roles: readonly Role[];
}

export interface ApprovalChoice {
  decision: ApprovalDecisionKind;
  comment?: string;
}

/** What a decision does to its task. An approval in 'all' mode that is not the last has none. */
export type ApprovalOutcome = 'approved' | 'rejected' | 'changes-requested';

export const APPROVAL_TASK_STATUSES = ['open', 'approved', 'rejected', 'changes-requested', 'expired', 'withdrawn', 'cancelled'] as const;
export type ApprovalTaskStatus = (typeof APPROVAL_TASK_STATUSES)[number];

/** Statuses a task is closed with by its workflow rather than by a decision. */
export type ApprovalClosure = 'expired' | 'withdrawn' | 'cancelled';

const OUTCOME_OF: Record<ApprovalDecisionKind, ApprovalOutcome> = {
  approve: 'approved',
  reject: 'rejected',
  'request-changes': 'changes-requested',
};

export function outcomeOf(decision: ApprovalDecisionKind): ApprovalOutcome {
  return OUTCOME_OF[decision];
}

/** Role and party (and, when named, the approver list) fit: the task is for this user to decide. */
export function isEligible(policy: ApprovalPolicy, decider: Decider): boolean {
  if (decider.partyId !== policy.partyId || !decider.roles.includes(policy.role)) return false;
  if (policy.approverIds !== undefined && (policy.mode === 'all' || policy.approverIds.length > 0)) {
    return policy.approverIds.includes(decider.userId);
  }
  return true;
}
