/** An application's way through onboarding, as steps for ProgressSteps. */
import { ONBOARDING_FINAL_STATUSES, ONBOARDING_WITHDRAWABLE_STATUSES } from '@wholesail/contracts/onboarding/onboarding.contract';
import type { Application, ApplicationStatus } from '../../api/types';
import type { Step, StepState } from '../../ui/ProgressSteps';

export const FINAL_STATUSES: readonly ApplicationStatus[] = ONBOARDING_FINAL_STATUSES;
export const WITHDRAWABLE_STATUSES: readonly ApplicationStatus[] = ONBOARDING_WITHDRAWABLE_STATUSES;

const STATUS_TEXT: Record<ApplicationStatus, string> = {
  checking: 'Running the automatic checks',
  'awaiting-sponsor': 'Waiting for the sponsor to confirm',
  'awaiting-operator': 'Waiting for the operator’s approval',
  'changes-requested': 'Changes were requested: waiting for the applicant’s corrections',
  approved: 'Approved: setting up the account',
  provisioning: 'Setting up the account',
  active: 'Active: the partner account is ready and the welcome e-mail is on its way',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired: nobody acted in time',
};

export function statusText(status: ApplicationStatus): string {
  return STATUS_TEXT[status];
}

/** Which step a status stands at (changes-requested waits at the approval step that asked). */
const POSITION: Record<ApplicationStatus, string> = {
  checking: 'checks',
  'awaiting-sponsor': 'sponsor',
  'awaiting-operator': 'operator',
  'changes-requested': 'operator',
  approved: 'account',
  provisioning: 'account',
  active: 'done',
  rejected: 'operator',
  withdrawn: 'operator',
  expired: 'operator',
};

export function onboardingSteps(application: Pick<Application, 'status' | 'sponsorPartyId' | 'parentResellerId' | 'problems'>): Step[] {
  const sponsored = !!(application.sponsorPartyId || application.parentResellerId);
  const keys = ['submitted', 'checks', 'sponsor', 'operator', 'account', 'done'];
  const labels: Record<string, string> = {
    submitted: 'Application received',
    checks: 'Automatic checks',
    sponsor: 'Sponsor confirms',
    operator: 'Operator approves',
    account: 'Account set up',
    done: 'Welcome e-mail sent',
  };
  let position = POSITION[application.status];
  // A rejection by the checks stops there.
  if (application.status === 'rejected' && application.problems?.length) position = 'checks';
  const at = keys.indexOf(position);
  const ended = ['rejected', 'withdrawn', 'expired'].includes(application.status);
  return keys.map((key, index) => {
    let state: StepState = index < at ? 'done' : index === at ? (ended ? 'failed' : 'current') : 'upcoming';
    if (application.status === 'active') state = 'done';
    if (key === 'sponsor' && !sponsored) state = 'skipped';
    return { key, label: labels[key], state };
  });
}
