import type { FieldProblem, SolutionFinalStatus, SolutionStatus, SolutionWeight } from '@wholesail/domain';

/** Workflow type name as registered by the worker (the exported function name). */
export const SOLUTION_APPROVAL_WORKFLOW = 'solutionApproval';

/**
 * Business-key workflow ID: one approval case per solution. A case that ended (approved, rejected,
 * withdrawn, expired) may be followed by a new run under the same ID when a new version is
 * submitted; its rounds continue the solution's, so approval task ids stay unique.
 */
export function solutionApprovalWorkflowId(solutionId: string): string {
  return `solution-approval:${solutionId}`;
}

export interface SolutionApprovalInput {
  solutionId: string;
  /** Shown in inbox titles and e-mails. */
  solutionName: string;
  clientId: string;
  clientName: string;
  operatorPartyId: string;
  /** The version submitted. */
  versionId: string;
  versionNo: number;
  /** The round this run starts with: 1 for a solution's first case, else one more than the last round of the solution. */
  round: number;
  /** Rounds this run may take before it rejects instead of asking for changes again; 10 by default. */
  maxRounds?: number;
}

export const DEFAULT_SOLUTION_MAX_ROUNDS = 10;

/** A new version for the waiting case (after changes were requested). */
export interface SubmitVersionInput {
  versionId: string;
  versionNo: number;
  /** "user:<id>" of who submitted it. */
  by: string;
}

export interface WithdrawSolutionInput {
  by: string;
  reason?: string;
}

/** The open request for changes, as the architect reads it. */
export interface SolutionChangesRequested {
  comment: string;
  /** The deciding user's id, or "validation" when the version failed validation. */
  by: string;
  byEmail?: string;
  /** The step that asked ('client', 'operator') or 'validation'. */
  stepKey: string;
  at: string;
  respondBy: string;
  problems?: FieldProblem[];
}

export interface SolutionStatusView {
  solutionId: string;
  status: SolutionStatus;
  round: number;
  versionId: string;
  versionNo: number;
  /** What the version weighs, once quoted. */
  weight?: SolutionWeight;
  /** Why the operator was asked, when it was. */
  operatorReasons?: string[];
  reason?: string;
  changesRequested?: SolutionChangesRequested;
  /** ISO 8601, workflow time of the last status change. */
  updatedAt: string;
}

export interface SolutionApprovalResult {
  solutionId: string;
  status: SolutionFinalStatus;
  /** The last round of this run. */
  round: number;
  versionId: string;
  versionNo: number;
  reason?: string;
  /** Set when approved: the version provisioning builds. */
  approvedVersionId?: string;
}
