import { Inject, Injectable } from '@nestjs/common';
import { emailChangeToken, signedToken } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { ApplicantEmail, ApprovalTaskView, AutomaticCheckResult, OnboardingActivities, ProvisionedPartner } from '@wholesail/contracts';
import type { Role } from '@wholesail/domain';
import type { Application } from '@wholesail/persistence';
import { withDomainFailures } from '@wholesail/temporal';
import { ONBOARDING_DEFAULTS, OnboardingRecords } from './onboarding.records';
import { EmailOutbox } from '../mail/email-outbox.service';

type Input<K extends keyof OnboardingActivities> = Parameters<OnboardingActivities[K]>[0];

/**
 * The onboarding workflow's activities. Temporal may run each more than once, so each is keyed by
 * a business reference and checks before it writes (see OnboardingActivities). Data access lives in
 * OnboardingRecords, so only activity methods sit on this class (the worker registers every method).
 */
@Injectable()
export class PartnerOnboardingActivities implements OnboardingActivities {
  constructor(
    private readonly records: OnboardingRecords,
    private readonly outbox: EmailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  runAutomaticChecks(input: Input<'runAutomaticChecks'>): Promise<AutomaticCheckResult> {
    return withDomainFailures(async () => ({ problems: await this.records.checkApplication(input.applicationId) }));
  }

  setApplicationStatus(input: Input<'setApplicationStatus'>): Promise<void> {
    return withDomainFailures(() => this.records.setStatus(input.applicationId, input.status, input.reason, input.problems));
  }

  openApprovalTask(task: ApprovalTaskView): Promise<void> {
    return withDomainFailures(async () => {
      const created = await this.records.openTask(task);
      if (!created) return;
      // Tell each approver there is something in their inbox (one mail per approver per task).
      for (const user of await this.records.approvers(task.policy)) {
        await this.outbox.send({
          idempotencyKey: `${task.taskId}:requested:${user.id}`,
          template: 'approval-requested',
          to: user.email,
          data: {
            recipientName: user.displayName,
            taskTitle: task.title,
            taskDescription: task.description,
            openedAt: task.openedAt,
            dueAt: task.dueAt,
            inboxUrl: inboxUrl(this.config),
          },
          subjectRef: `task:${task.taskId}`,
        });
      }
    });
  }

  recordDecision(input: Input<'recordDecision'>): Promise<void> {
    return withDomainFailures(() => this.records.recordDecision(input));
  }

  closeApprovalTask(input: Input<'closeApprovalTask'>): Promise<void> {
    return withDomainFailures(() => this.records.closeTask(input.taskId, input.status, new Date(input.closedAt)));
  }

  resolveApprovers(input: Input<'resolveApprovers'>): Promise<string[]> {
    return withDomainFailures(async () => (await this.records.usersWithRole(input.role as Role, input.partyId)).map((u) => u.id));
  }

  applyResubmission(input: Input<'applyResubmission'>): Promise<void> {
    return withDomainFailures(() => this.records.applyResubmission(input.applicationId, input.round, input.changes));
  }

  provisionPartner(input: Input<'provisionPartner'>): Promise<ProvisionedPartner> {
    return withDomainFailures(async () => {
      const { party, admin, issuedAt, expiresAt } = await this.records.provision(input.applicationId, {
        ...ONBOARDING_DEFAULTS,
        invitationTtlMs: this.config.onboarding.invitationTtlHours * 3_600_000,
      });
      const token = signedToken(this.config.jwt.secret, 'invitation', `${admin.id}:${issuedAt.toISOString()}`);
      return {
        partyId: party.id,
        adminUserId: admin.id,
        invitationUrl: `${this.config.publicUrl}/invitations/${admin.id}.${token}`,
        invitationExpiresAt: expiresAt.toISOString(),
      };
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

  sendApproverReminder(input: Input<'sendApproverReminder'>): Promise<void> {
    return withDomainFailures(async () => {
      const task = await this.records.task(input.taskId);
      const pending = input.pendingApproverIds;
      const users = (await this.records.approvers(input.policy)).filter((u) => !pending || pending.includes(u.id));
      for (const user of users) {
        await this.outbox.send({
          idempotencyKey: `${input.idempotencyKey}:${user.id}`,
          template: 'approval-reminder',
          to: user.email,
          data: {
            recipientName: user.displayName,
            taskTitle: task.title,
            taskDescription: task.description,
            openedAt: task.openedAt,
            dueAt: input.dueAt,
            reminderNo: input.reminderNo,
            inboxUrl: inboxUrl(this.config),
          },
          subjectRef: `task:${task.id}`,
        });
      }
      await this.records.countReminder(task.id, input.reminderNo);
    });
  }
}

function inboxUrl(config: AppConfig): string {
  return `${config.publicUrl}/approvals/tasks`;
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
