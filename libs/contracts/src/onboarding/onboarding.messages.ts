import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApplicationStatusView, ResubmitInput, WithdrawInput } from './onboarding.contract';

/**
 * The applicant withdraws (the API checks it is the applicant). Refused with
 * ONBOARDING_ALREADY_FINISHED once approved or ended; answers with the 'withdrawn' status.
 * Approval decisions go through the generic `decideUpdate` (../approvals).
 */
export const withdrawUpdate = defineUpdate<ApplicationStatusView, [WithdrawInput]>('withdraw');

/**
 * The applicant's corrected fields after changes were requested. Refused with
 * ONBOARDING_NOT_AWAITING_CHANGES otherwise; answers once the new round has started ('checking').
 */
export const resubmitUpdate = defineUpdate<ApplicationStatusView, [ResubmitInput]>('resubmit');

export const applicationStatusQuery = defineQuery<ApplicationStatusView>('applicationStatus');
