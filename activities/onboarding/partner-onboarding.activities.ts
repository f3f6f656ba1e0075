import { Inject, Injectable } from '@nestjs/common';
import { emailChangeToken, signedToken } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { ApplicantEmail, AutomaticCheckResult, OnboardingOwnActivities, ProvisionedPartner } from '@wholesail/contracts';
import type { Application } from '@wholesail/persistence';
import { Invitations } from '@wholesail/parties';
import { withDomainFailures } from '@wholesail/temporal';
import { ONBOARDING_DEFAULTS, OnboardingRecords } from './onboarding.records';
import { EmailOutbox } from '../mail/email-outbox.service';

type Input<K extends keyof OnboardingOwnActivities> = Parameters<OnboardingOwnActivities[K]>[0];

/**
 * The onboarding workflow's own activities; its approval steps use activities/approvals. Temporal
 * may run each more than once, so each is keyed by a business reference and checks before it
 * writes (see OnboardingOwnActivities). Data access lives in OnboardingRecords, so only activity
 * methods sit on this class (the worker registers every method).
 */
@Injectable()
export class PartnerOnboardingActivities implements OnboardingOwnActivities {
  constructor(
    private readonly records: OnboardingRecords,
    private readonly outbox: EmailOutbox,
    private readonly invitations: Invitations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  runAutomaticChecks(input: Input<'runAutomaticChecks'>): Promise<AutomaticCheckResult> {
    return withDomainFailures(async () => ({ problems: await this.records.checkApplication(input.applicationId) }));
  }

  setApplicationStatus(input: Input<'setApplicationStatus'>): Promise<void> {
    return withDomainFailures(() => this.records.setStatus(input.applicationId, input.status, input.reason, input.problems));
  }

  applyResubmission(input: Input<'applyResubmission'>): Promise<void> {
    return withDomainFailures(() => this.records.applyResubmission(input.applicationId, input.round, input.changes));
  }

  provisionPartner(input: Input<'provisionPartner'>): Promise<ProvisionedPartner> {
    return withDomainFailures(async () => {
      const { party, admin } = await this.records.provision(input.applicationId, ONBOARDING_DEFAULTS);
      const invitation = this.invitations.link(admin);
      return { partyId: party.id, adminUserId: admin.id, invitationUrl: invitation.url, invitationExpiresAt: invitation.expiresAt.toISOString() };
    });
  }

  sendApplicantEmail(input: Input<'sendApplicantEmail'>): Promise<void> {
    return withDomainFailures(async () => {
      const application = await this.records.application(input.applicationId);
      const common = { recipientName: application.contactName, applicantName: application.name };
      await this.outbox.send({
        idempotencyKey: input.idempotencyKey,
        template: input.template,
        // A new address is confirmed at that address; everything else goes to the one on file.
        to: input.template === 'email-change-confirmation' ? input.data.newEmail : application.email,
        data: { ...common, ...applicantTemplateData(this.config, input, application) },
        subjectRef: `application:${application.id}`,
      });
    });
  }

  changeApplicantEmail(input: Input<'changeApplicantEmail'>): Promise<void> {
    return withDomainFailures(() => this.records.changeEmail(input.applicationId, input.email));
  }

  recordWithdrawal(input: Input<'recordWithdrawal'>): Promise<void> {
    return withDomainFailures(() => this.records.recordWithdrawal(input.applicationId, input.by, input.reason, new Date(input.at)));
  }
}

/**
 * The applicant's page in the portal: where it follows the application, withdraws it and sends
 * corrections. The token is the applicant's (X-Applicant-Token / ?token= on the API).
 */
export function applicantPortalUrl(config: AppConfig, applicationId: string): string {
  return `${config.portalUrl}/applications/${applicationId}?token=${signedToken(config.jwt.secret, 'applicant', applicationId)}`;
}

/** What each applicant template needs beyond the workflow's data: links (with the applicant's token) and names. */
function applicantTemplateData(config: AppConfig, email: ApplicantEmail, application: Application): Record<string, unknown> {
  const statusUrl = applicantPortalUrl(config, application.id);
  switch (email.template) {
    case 'application-received':
      return { kind: application.kind, applicationId: application.id, submittedAt: application.createdAt, statusUrl };
    case 'application-exists':
      return { applicationId: application.id, submittedAt: application.createdAt, statusUrl };
    case 'email-change-confirmation': {
      const token = emailChangeToken(config.jwt.secret, application.id, email.data.newEmail, new Date(email.data.expiresAt));
      const confirmUrl = `${config.publicUrl}/applications/${application.id}/email-confirmations/${token}`;
      return { newEmail: email.data.newEmail, expiresAt: email.data.expiresAt, confirmUrl };
    }
    case 'email-change-requested':
      return { newEmail: email.data.newEmail, expiresAt: email.data.expiresAt, statusUrl };
    case 'changes-requested':
      return { comment: email.data.comment, respondBy: email.data.respondBy, resubmitUrl: statusUrl };
    case 'resubmission-reminder':
      return { comment: email.data.comment, respondBy: email.data.respondBy, reminderNo: email.data.reminderNo, resubmitUrl: statusUrl };
    case 'rejected':
      return { reason: email.data.reason, problems: email.data.problems };
    case 'withdrawn':
      return { reason: email.data.reason };
    case 'expired':
      return { step: email.data.step };
    case 'welcome':
      return {
        partnerName: application.name,
        invitationUrl: email.data.invitationUrl,
        invitationExpiresAt: email.data.invitationExpiresAt,
        loginEmail: application.email,
      };
  }
}
