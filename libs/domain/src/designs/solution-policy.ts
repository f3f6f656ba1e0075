import { APPROVAL_MODES, type ApprovalMode } from '../approvals/approval-policy';
import { parseDuration } from '../approvals/duration';
import { isDomainError, type FieldProblem } from '../errors';
import { Dec, isDecimalInput } from '../money';

/**
 * A reseller's rules for approving its clients' solution designs, and the catalog items it does not
 * sell in designs. Steps run in order: the client accepts (any one of its client-users, or all of
 * them); then, when the design's monthly total (at the client's prices) or its total vCPUs is above
 * a threshold, the operator approves (any one operator-admin, or all of the named ones). A null
 * threshold never asks. Every wait reminds every `reminderEvery` and expires after `expiresAfter`.
 */
export interface SolutionPolicy {
  clientAcceptance: { mode: ApprovalMode };
  operatorApproval: {
    /** A decimal string in the catalog's currency, e.g. "1000.00"; null: the total never asks. */
    monthlyTotalAbove: string | null;
    /** null: the vCPUs never ask. */
    vcpusAbove: number | null;
    mode: ApprovalMode;
    /** Operator-admins who decide ("all of": each must approve; "any one": only they may). */
    approverIds?: string[];
  };
  reminderEvery: string;
  expiresAfter: string;
  /** SKUs this reseller does not sell in designs (for its clients and its sub-resellers' clients). */
  notSold: string[];
}

/** The policy of a reseller that has not set one. */
export const DEFAULT_SOLUTION_POLICY: SolutionPolicy = {
  clientAcceptance: { mode: 'any' },
  operatorApproval: { monthlyTotalAbove: '1000.00', vcpusAbove: 32, mode: 'any' },
  reminderEvery: '2 days',
  expiresAfter: '14 days',
  notSold: [],
};

/** Every problem of a policy, each naming its field. */
export function solutionPolicyProblems(policy: SolutionPolicy): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  const mode = (value: unknown, field: string) => {
    if (!APPROVAL_MODES.includes(value as ApprovalMode)) add(field, `must be one of ${APPROVAL_MODES.join(', ')}`);
  };
  mode(policy.clientAcceptance?.mode, 'clientAcceptance.mode');
  const operator = policy.operatorApproval;
  mode(operator?.mode, 'operatorApproval.mode');
  const total = operator?.monthlyTotalAbove;
  if (total !== null && !(isDecimalInput(total) && /^\d+(\.\d+)?$/.test(String(total)))) {
    add('operatorApproval.monthlyTotalAbove', 'must be a decimal string ≥ 0 such as "1000.00", or null');
  }
  const vcpus = operator?.vcpusAbove;
  if (vcpus !== null && !(typeof vcpus === 'number' && Number.isInteger(vcpus) && vcpus >= 0))
    add('operatorApproval.vcpusAbove', 'must be a whole number ≥ 0, or null');
  if (operator?.approverIds !== undefined && !(Array.isArray(operator.approverIds) && operator.approverIds.every((id) => typeof id === 'string'))) {
    add('operatorApproval.approverIds', 'must be a list of user ids');
  }
  for (const field of ['reminderEvery', 'expiresAfter'] as const) {
    try {
      parseDuration(policy[field], field);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      problems.push(...error.fields);
    }
  }
  if (!Array.isArray(policy.notSold) || policy.notSold.some((sku) => typeof sku !== 'string')) add('notSold', 'must be a list of SKUs');
  return problems;
}

/** What a submitted design weighs for the thresholds. */
export interface SolutionWeight {
  /** The client's monthly total, a decimal string in the catalog's currency. */
  monthlyTotal: string;
  currency: string;
  vcpus: number;
}

/**
 * Why the operator must approve this design (empty: it need not): a monthly total or a vCPU count
 * strictly above the policy's threshold. Pure and exact, so a workflow may call it.
 */
export function operatorApprovalReasons(policy: SolutionPolicy, weight: SolutionWeight): string[] {
  const reasons: string[] = [];
  const { monthlyTotalAbove, vcpusAbove } = policy.operatorApproval;
  if (monthlyTotalAbove !== null && new Dec(weight.monthlyTotal).greaterThan(new Dec(monthlyTotalAbove))) {
    reasons.push(`its monthly total of ${weight.monthlyTotal} ${weight.currency} is above ${monthlyTotalAbove} ${weight.currency}`);
  }
  if (vcpusAbove !== null && weight.vcpus > vcpusAbove) reasons.push(`its ${weight.vcpus} vCPUs are more than ${vcpusAbove}`);
  return reasons;
}
