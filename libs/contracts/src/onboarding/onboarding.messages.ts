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

/**
 * A new contact e-mail, confirmed from that address (the API checked the link). Accepted while
 * the application may still be withdrawn (before approval); refused with
 * ONBOARDING_ALREADY_FINISHED after. Answers once the address is changed.
 */
export const confirmEmailChangeUpdate = defineUpdate<ApplicationStatusView, [{ email: string }]>('confirmEmailChange');

export const applicationStatusQuery = defineQuery<ApplicationStatusView>('applicationStatus');
