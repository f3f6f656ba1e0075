import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SolutionStatusView, SubmitVersionInput, WithdrawSolutionInput } from './solution-approval.contract';

/**
 * A new version after changes were requested: refused with SOLUTION_NOT_SUBMITTABLE unless the case
 * waits for one; answers once the new round has started ('validating'). Approval decisions go
 * through the generic `decideUpdate` (../approvals).
 */
export const submitVersionUpdate = defineUpdate<SolutionStatusView, [SubmitVersionInput]>('submitVersion');

/** The architect withdraws while the case waits; refused with SOLUTION_NOT_WITHDRAWABLE once it has ended. */
export const withdrawSolutionUpdate = defineUpdate<SolutionStatusView, [WithdrawSolutionInput]>('withdrawSolution');

export const solutionStatusQuery = defineQuery<SolutionStatusView>('solutionStatus');
