import type { ApplicantEmailRequest } from '../onboarding/onboarding-activities.contract';

/** Workflow type of an applicant e-mail the API sends (one activity: durable, retried, once). */
export const APPLICANT_EMAIL_WORKFLOW = 'applicantEmail';

/** Business-key workflow ID: the mail's idempotency key, so a repeated start sends nothing twice. */
export function applicantEmailWorkflowId(idempotencyKey: string): string {
  return `mail:${idempotencyKey}`;
}

export type ApplicantEmailWorkflowInput = ApplicantEmailRequest;

/**
 * The idempotency key of "someone submitted your application again": one per application per
 * hour, however often the form is sent, so a repeated submission cannot flood the applicant.
 */
export function applicationExistsMailKey(applicationId: string, at: Date): string {
  return `application:${applicationId}:exists:${Math.floor(at.getTime() / 3_600_000)}`;
}
