import { proxyActivities } from '@temporalio/workflow';
import type { ApplicantEmailWorkflowInput, OnboardingActivities } from '@wholesail/contracts';

const { sendApplicantEmail } = proxyActivities<Pick<OnboardingActivities, 'sendApplicantEmail'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 30 },
});

/**
 * An applicant e-mail the API sends (a notice that an application exists, the confirmation of a
 * new contact e-mail): the API process sends no mail itself, so it starts this one-activity
 * workflow under the mail's idempotency key. Durable and retried; the outbox sends it once.
 */
export async function applicantEmail(input: ApplicantEmailWorkflowInput): Promise<void> {
  await sendApplicantEmail(input);
}
