/**
 * Codes of the errors solution designs raise, stable for the API's exception filter and the
 * approval workflow. Problems found in a design (a VM on no network, overlapping CIDRs, …) are not
 * errors: validation returns them as field-addressed `FieldProblem`s; these codes are for refusing
 * a request whole.
 */
export const DesignErrorCode = {
  /** The graph is not well-formed JSON of the design format (wrong types, missing ids, too large). */
  InvalidGraph: 'DESIGN_INVALID_GRAPH',
  /** A version with problems cannot be submitted; the fields list them. */
  HasProblems: 'DESIGN_HAS_PROBLEMS',
  /** A solution policy field out of bounds (a negative threshold, an unknown mode, a bad duration). */
  InvalidPolicy: 'SOLUTION_INVALID_POLICY',
  /** The solution, version or share link does not exist or is not visible to the caller. */
  SolutionNotFound: 'SOLUTION_NOT_FOUND',
  VersionNotFound: 'DESIGN_VERSION_NOT_FOUND',
  ShareLinkNotFound: 'DESIGN_SHARE_LINK_NOT_FOUND',
  /** The caller sees the solution but may not change it (a parent reseller, the operator, the client). */
  Forbidden: 'SOLUTION_FORBIDDEN',
  /** A solution name already used for the client. */
  Duplicate: 'SOLUTION_DUPLICATE',
  /** Submitting while a version is under approval, or withdrawing when nothing waits. */
  NotSubmittable: 'SOLUTION_NOT_SUBMITTABLE',
  NotWithdrawable: 'SOLUTION_NOT_WITHDRAWABLE',
  /** A workflow input that cannot run (bad durations, missing ids): the start fails. */
  InvalidInput: 'SOLUTION_INVALID_INPUT',
} as const;

export type DesignErrorCode = (typeof DesignErrorCode)[keyof typeof DesignErrorCode];
