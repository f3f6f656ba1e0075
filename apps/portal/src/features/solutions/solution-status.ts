/**
 * Where a solution's approval stands, in words and as steps (design → validation → client → operator
 * → approved), from its status as the API reports it (see the README's "The workflow").
 */
import { SOLUTION_WAITING_STATUSES } from '@wholesail/domain';
import type { Solution, SolutionStatus } from '../../api/types';
import type { Step } from '../../ui/ProgressSteps';

export function isWaiting(status: SolutionStatus): boolean {
  return (SOLUTION_WAITING_STATUSES as readonly SolutionStatus[]).includes(status);
}

/** A version may be submitted while no case waits for someone other than the architect. */
export function maySubmit(status: SolutionStatus): boolean {
  return !isWaiting(status) || status === 'changes-requested';
}

const WHO: Record<string, string> = { client: 'the client', operator: 'the operator', validation: 'validation' };

export function statusSentence(solution: Solution): string {
  const version = solution.currentVersion ? ` version ${solution.currentVersion}` : '';
  switch (solution.status) {
    case 'draft':
      return solution.latestVersion === 0 ? 'Nothing is saved yet: draw the design and save it.' : 'Not submitted yet: submit a version for approval.';
    case 'validating':
      return `Checking and quoting${version} at the client’s prices…`;
    case 'awaiting-client':
      return `Waiting for the client to accept${version}.`;
    case 'awaiting-operator':
      return `Waiting for the operator to approve${version}.`;
    case 'changes-requested':
      return `Changes requested by ${WHO[solution.changesRequested?.stepKey ?? ''] ?? 'an approver'}: revise the design and submit a new version.`;
    case 'approved':
      return `Approved: version ${solution.approvedVersion ?? solution.currentVersion} is what will be built.`;
    case 'rejected':
      return `Rejected${solution.statusReason ? `: ${solution.statusReason}` : '.'}`;
    case 'withdrawn':
      return `Withdrawn${solution.statusReason ? `: ${solution.statusReason}` : '.'}`;
    case 'expired':
      return `Expired${solution.statusReason ? `: ${solution.statusReason}` : ': nobody acted in time.'}`;
  }
}

/**
 * The approval's steps. `operatorAsked`: whether this round went (or goes) to the operator — known
 * once the operator's task opened; `null` while it cannot be known (then the step says when it applies).
 */
export function approvalSteps(solution: Solution, operatorAsked: boolean | null): Step[] {
  const s = solution.status;
  const order: SolutionStatus[] = ['draft', 'validating', 'awaiting-client', 'awaiting-operator', 'approved'];
  const at = order.indexOf(s);
  const state = (index: number): Step['state'] => (at > index ? 'done' : at === index ? 'current' : 'upcoming');
  const design: Step = {
    key: 'design',
    label: 'Design saved',
    state: solution.latestVersion > 0 && s !== 'changes-requested' ? 'done' : 'current',
    detail: s === 'changes-requested' ? 'Changes requested: revise and submit a new version' : undefined,
  };
  if (s === 'rejected' || s === 'withdrawn' || s === 'expired') {
    return [
      { ...design, state: 'done' },
      {
        key: 'end',
        label: s === 'rejected' ? 'Rejected' : s === 'withdrawn' ? 'Withdrawn' : 'Expired',
        state: 'failed',
        detail: solution.statusReason ?? undefined,
      },
    ];
  }
  const operator: Step = {
    key: 'operator',
    label: 'Operator approves',
    state: s === 'approved' ? (operatorAsked === false ? 'skipped' : 'done') : state(3),
    detail: operatorAsked === null && at < 3 ? 'above the reseller’s thresholds' : undefined,
  };
  if (s === 'draft' || s === 'changes-requested') {
    return [
      design,
      { key: 'validation', label: 'Checked and quoted', state: 'upcoming' },
      { key: 'client', label: 'Client accepts', state: 'upcoming' },
      { ...operator, state: 'upcoming', detail: 'above the reseller’s thresholds' },
      { key: 'approved', label: 'Approved', state: 'upcoming' },
    ];
  }
  return [
    design,
    { key: 'validation', label: 'Checked and quoted', state: state(1) },
    { key: 'client', label: 'Client accepts', state: state(2) },
    operator,
    { key: 'approved', label: 'Approved', state: s === 'approved' ? 'done' : 'upcoming' },
  ];
}
