import type { FieldProblem, SolutionPolicy, SolutionStatus, SolutionWeight } from '@wholesail/domain';
import type { ApprovalActivities } from '../approvals';
import type { SolutionChangesRequested } from './solution-approval.contract';

/** A submitted version, validated and quoted at the client's prices, with the reseller's policy then. */
export interface DesignAssessment {
  /** Empty when the version may go to its approvers. */
  problems: FieldProblem[];
  /** What the version weighs (set when it has no problems). */
  weight?: SolutionWeight;
  policy: SolutionPolicy;
}

/** Where the approval case stands now, for the solution and the version it is about. */
export interface SolutionStateInput {
  solutionId: string;
  versionId: string;
  round: number;
  status: SolutionStatus;
  reason?: string;
  changesRequested?: SolutionChangesRequested;
}

/** The architect's e-mails, one template each, with what the workflow knows for them. */
export type ArchitectEmail =
  | { template: 'solution-changes-requested'; data: { comment: string; respondBy: string; problems: FieldProblem[]; reminderNo?: number } }
  | { template: 'solution-approved'; data: Record<string, never> }
  | { template: 'solution-rejected'; data: { reason: string } }
  | { template: 'solution-expired'; data: { step: string } };

export type ArchitectEmailTemplate = ArchitectEmail['template'];

/**
 * The solution-approval workflow's own activities (activities/solutions). Each is idempotent given
 * its arguments (the key is named per method); business failures are non-retryable.
 */
export interface SolutionOwnActivities {
  /**
   * Validates the version against the catalog and the reseller chain now, quotes it at the client's
   * prices, stores the quote on the version, and reads the reseller's policy. Key: versionId + round
   * (a retry quotes again at its own instant; the stored quote is the last one taken).
   */
  assessDesignVersion(input: { solutionId: string; versionId: string; round: number }): Promise<DesignAssessment>;

  /**
   * Sets the solution's status (and round, reason, open request for changes) and the version's
   * status that follows from it; 'approved' also supersedes the previously approved version. Key:
   * solutionId + versionId + status; setting the same again changes nothing.
   */
  setSolutionStatus(input: SolutionStateInput): Promise<void>;

  /** To the version's author. Key: idempotencyKey (e.g. "solution-approval:<id>:approved:3"): one mail per key, ever. */
  sendArchitectEmail(input: ArchitectEmail & { solutionId: string; versionId: string; idempotencyKey: string }): Promise<void>;
}

/** Every activity the solution-approval workflow calls: its own and the approval step's. */
export interface SolutionApprovalActivities extends SolutionOwnActivities, ApprovalActivities {}
