import type { FieldProblem } from '@wholesail/domain';
import type { ApprovalActivities } from '../approvals';
import type { ApplicationChanges, OnboardingStatus, OnboardingStep } from './onboarding.contract';

/** What the automatic checks found: required fields, duplicate name / e-mail / tax ID, tax ID format. */
export interface AutomaticCheckResult {
  problems: FieldProblem[];
}

export interface ProvisionedPartner {
  partyId: string;
  adminUserId: string;
  /** One-time link for the admin user to set a password. */
  invitationUrl: string;
  /** ISO 8601. */
  invitationExpiresAt: string;
}

/**
 * The applicant's e-mails, one template each, with the data the template renders. Each goes to
 * the application's contact e-mail, except the confirmation of a new one (to `newEmail`). Links
 * (with the applicant's token) are added by the activity, so no secret travels in a history.
 */
export type ApplicantEmail =
  | { template: 'application-received'; data: { kind: string } }
  /** Someone submitted the same application again: its status link, to the address on file only. */
  | { template: 'application-exists'; data: Record<string, never> }
  /** To the new address: confirm it (the link expires at `expiresAt`). */
  | { template: 'email-change-confirmation'; data: { newEmail: string; expiresAt: string } }
  /** To the address on file: a change to `newEmail` was asked for. */
  | { template: 'email-change-requested'; data: { newEmail: string; expiresAt: string } }
  | { template: 'changes-requested'; data: { comment: string; respondBy: string } }
  | { template: 'resubmission-reminder'; data: { comment: string; respondBy: string; reminderNo: number } }
  | { template: 'rejected'; data: { reason: string; problems: FieldProblem[] } }
  | { template: 'withdrawn'; data: { reason?: string } }
  | { template: 'expired'; data: { step: OnboardingStep } }
  | { template: 'welcome'; data: { partyId: string; invitationUrl: string; invitationExpiresAt: string } };

export type ApplicantEmailTemplate = ApplicantEmail['template'];

/** One applicant e-mail to send: which, about which application, once per `idempotencyKey`. */
export type ApplicantEmailRequest = ApplicantEmail & { applicationId: string; idempotencyKey: string };

/**
 * The onboarding workflow's own activities (implemented by a Nest service in activities/onboarding).
 * Temporal may run any of them more than once, so every one is idempotent given its arguments:
 * each carries a business key (named per method) and checks before it writes. Business failures
 * are non-retryable ApplicationFailures (they fail the workflow); anything else is retried.
 */
export interface OnboardingOwnActivities {
  /** Read-only. Key: applicationId (+ round, for logs). */
  runAutomaticChecks(input: { applicationId: string; round: number }): Promise<AutomaticCheckResult>;

  /** Sets the application's status (and reason). Key: applicationId; setting the same status again is a no-op. */
  setApplicationStatus(input: { applicationId: string; status: OnboardingStatus; round: number; reason?: string; problems?: FieldProblem[] }): Promise<void>;

  /** Applies the applicant's corrections. Key: applicationId + round (the round they open). */
  applyResubmission(input: { applicationId: string; round: number; by: string; changes: ApplicationChanges; comment?: string }): Promise<void>;

  /**
   * Creates the party (under its sponsor or the operator), its agreement, default price book and
   * an admin user with an expiring one-time invitation. Key: applicationId: a retry returns what
   * the first call created (with the same invitation while it is valid).
   */
  provisionPartner(input: { applicationId: string }): Promise<ProvisionedPartner>;

  /** Key: idempotencyKey (e.g. "onboarding:<id>:welcome"): one e-mail per key, ever. */
  sendApplicantEmail(input: ApplicantEmailRequest): Promise<void>;

  /**
   * Makes a confirmed address the application's contact e-mail. Refused (non-retryable
   * APPLICATION_EMAIL_TAKEN) when a user or another application in progress has it. Key:
   * applicationId + email; setting the address it already has is a no-op.
   */
  changeApplicantEmail(input: { applicationId: string; email: string }): Promise<void>;

  /** Records who withdrew the application, why and when. Key: applicationId; the first record stays. */
  recordWithdrawal(input: { applicationId: string; by: string; reason?: string; at: string }): Promise<void>;
}

/** Every activity the onboarding workflow calls: its own and the approval step's (../approvals). */
export interface OnboardingActivities extends OnboardingOwnActivities, ApprovalActivities {}
