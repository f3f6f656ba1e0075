/**
 * Codes of the refusals an approval task gives, stable for the API's exception filter and for the
 * workflows' update validators (which put the code in the failure's `type`).
 */
export const ApprovalErrorCode = {
  /** The decider lacks the task's role or party, or is not one of the named approvers. */
  NotYours: 'APPROVAL_NOT_YOURS',
  /** The task is closed, or this decider already approved it ("all of" mode). */
  AlreadyDecided: 'APPROVAL_ALREADY_DECIDED',
  /** The task's deadline has passed (whether or not the workflow has closed it yet). */
  Expired: 'APPROVAL_EXPIRED',
  /** No such task in this workflow (a wrong id, or a task of an earlier round that was never opened). */
  UnknownTask: 'APPROVAL_UNKNOWN_TASK',
  /** Reject and request-changes must say why. */
  CommentRequired: 'APPROVAL_COMMENT_REQUIRED',
  /** A decision that is not approve, reject or request-changes, or a decider without a user id. */
  InvalidDecision: 'APPROVAL_INVALID_DECISION',
  /** A policy that cannot be decided: "all of" without approvers, a deadline before the opening. */
  InvalidPolicy: 'APPROVAL_INVALID_POLICY',
  /** An "all of" policy that names nobody and finds nobody holding the role at the party. */
  NoApprovers: 'APPROVAL_NO_APPROVERS',
  /** A duration that is not a positive ms-style string ("30s", "2 days"). */
  InvalidDuration: 'APPROVAL_INVALID_DURATION',
} as const;

export type ApprovalErrorCode = (typeof ApprovalErrorCode)[keyof typeof ApprovalErrorCode];
