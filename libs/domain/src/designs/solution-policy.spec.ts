import { DEFAULT_SOLUTION_POLICY, operatorApprovalReasons, solutionPolicyProblems, type SolutionPolicy } from './solution-policy';
import { submissionKind, versionStatusFor } from './solution-status';

const policy = (operatorApproval: Partial<SolutionPolicy['operatorApproval']>): SolutionPolicy => ({
  ...DEFAULT_SOLUTION_POLICY,
  operatorApproval: { ...DEFAULT_SOLUTION_POLICY.operatorApproval, ...operatorApproval },
});

describe('solution policy', () => {
  it('asks the operator only above a threshold, comparing exactly', () => {
    const p = policy({ monthlyTotalAbove: '1000.00', vcpusAbove: 32 });
    expect(operatorApprovalReasons(p, { monthlyTotal: '1000.00', currency: 'EUR', vcpus: 32 })).toEqual([]);
    expect(operatorApprovalReasons(p, { monthlyTotal: '1000.01', currency: 'EUR', vcpus: 32 })).toEqual([
      'its monthly total of 1000.01 EUR is above 1000.00 EUR',
    ]);
    expect(operatorApprovalReasons(p, { monthlyTotal: '999999999999999999.99', currency: 'EUR', vcpus: 33 })).toHaveLength(2);
    expect(operatorApprovalReasons(p, { monthlyTotal: '12.00', currency: 'EUR', vcpus: 33 })).toEqual(['its 33 vCPUs are more than 32']);
  });

  it('never asks on a null threshold, always above zero', () => {
    expect(operatorApprovalReasons(policy({ monthlyTotalAbove: null, vcpusAbove: null }), { monthlyTotal: '1e9', currency: 'EUR', vcpus: 10_000 })).toEqual([]);
    expect(operatorApprovalReasons(policy({ monthlyTotalAbove: '0', vcpusAbove: null }), { monthlyTotal: '0.01', currency: 'EUR', vcpus: 1 })).toHaveLength(1);
  });

  it('names every field out of bounds', () => {
    expect(solutionPolicyProblems(DEFAULT_SOLUTION_POLICY)).toEqual([]);
    const bad = {
      clientAcceptance: { mode: 'most' },
      operatorApproval: { monthlyTotalAbove: '-5', vcpusAbove: 1.5, mode: 'all', approverIds: [3] },
      reminderEvery: 'soon',
      expiresAfter: '0s',
      notSold: 'VCPU',
    } as unknown as SolutionPolicy;
    expect(solutionPolicyProblems(bad).map((p) => p.field)).toEqual([
      'clientAcceptance.mode',
      'operatorApproval.monthlyTotalAbove',
      'operatorApproval.vcpusAbove',
      'operatorApproval.approverIds',
      'reminderEvery',
      'expiresAfter',
      'notSold',
    ]);
  });
});

describe('solution statuses', () => {
  it('gives the version under review its status', () => {
    expect(versionStatusFor('awaiting-operator')).toBe('submitted');
    expect(versionStatusFor('changes-requested')).toBe('changes-requested');
    expect(versionStatusFor('approved')).toBe('approved');
  });

  it('starts a case when none runs, resumes one waiting for changes, refuses while one is under review', () => {
    expect(submissionKind('draft')).toBe('start');
    expect(submissionKind('rejected')).toBe('start');
    expect(submissionKind('approved')).toBe('start');
    expect(submissionKind('changes-requested')).toBe('resume');
    expect(submissionKind('awaiting-client')).toBe('refuse');
  });
});
