/**
 * Where a solution stands in its approval case (the workflow `solution-approval:<solutionId>`), and
 * what that makes of the version submitted. A solution without a running case is `draft` (never
 * submitted), `approved`, `rejected`, `withdrawn` or `expired`; submitting a version then starts a
 * new case run. While `changes-requested`, a submission resumes the waiting case (a new round).
 */
export const SOLUTION_STATUSES = [
  'draft',
  'validating',
  'awaiting-client',
  'awaiting-operator',
  'changes-requested',
  'approved',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type SolutionStatus = (typeof SOLUTION_STATUSES)[number];

/** Statuses in which the case runs and waits for someone (the architect may withdraw). */
export const SOLUTION_WAITING_STATUSES = [
  'validating',
  'awaiting-client',
  'awaiting-operator',
  'changes-requested',
] as const satisfies readonly SolutionStatus[];

/** Statuses that end a case. */
export const SOLUTION_FINAL_STATUSES = ['approved', 'rejected', 'withdrawn', 'expired'] as const satisfies readonly SolutionStatus[];
export type SolutionFinalStatus = (typeof SOLUTION_FINAL_STATUSES)[number];

/**
 * A design version: `draft` until submitted; `submitted` while its round runs; then what its round
 * ended with. An approved version becomes `superseded` when a later version of the solution is
 * approved, so a solution has at most one approved version (the one provisioning builds).
 */
export const DESIGN_VERSION_STATUSES = ['draft', 'submitted', 'changes-requested', 'approved', 'rejected', 'withdrawn', 'expired', 'superseded'] as const;
export type DesignVersionStatus = (typeof DESIGN_VERSION_STATUSES)[number];

/** The status of the version under review when its solution enters `status`. */
export function versionStatusFor(status: SolutionStatus): DesignVersionStatus {
  switch (status) {
    case 'draft':
      return 'draft';
    case 'validating':
    case 'awaiting-client':
    case 'awaiting-operator':
      return 'submitted';
    default:
      return status;
  }
}

/** How a submission of a new version is taken, given the solution's status. */
export function submissionKind(status: SolutionStatus): 'start' | 'resume' | 'refuse' {
  if (status === 'changes-requested') return 'resume';
  return (SOLUTION_WAITING_STATUSES as readonly SolutionStatus[]).includes(status) ? 'refuse' : 'start';
}
