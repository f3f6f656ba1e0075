import { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { readEmailChangeToken, sha256, signedToken, signedTokenMatches, type Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import {
  APPLICANT_EMAIL_WORKFLOW,
  applicantEmailWorkflowId,
  applicationExistsMailKey,
  confirmEmailChangeUpdate,
  ONBOARDING_WORKFLOW,
  onboardingWorkflowId,
  resubmitUpdate,
  withdrawUpdate,
  type ApplicantEmailWorkflowInput,
  type ApplicationStatusView,
  type PartnerOnboardingInput,
} from '@wholesail/contracts';
import { DomainError, isPartyAdmin, normalizeEmail, normalizeTaxId, type DomainErrorKind } from '@wholesail/domain';
import { Application, Party } from '@wholesail/persistence';
import { executeUpdateOrRefuse, TEMPORAL_CLIENT } from '@wholesail/temporal';
import { TenancyService } from '../tenancy/tenancy.service';
import type { ListApplicationsQuery, ResubmitApplicationDto, SubmitApplicationDto, WithdrawApplicationDto } from './dto/application.dto';

const REFUSAL_KIND: Record<string, DomainErrorKind> = {
  ONBOARDING_ALREADY_FINISHED: 'conflict',
  ONBOARDING_NOT_AWAITING_CHANGES: 'conflict',
  APPLICATION_EMAIL_TAKEN: 'conflict',
};

/** How long the link confirming a new contact e-mail works. */
export const EMAIL_CHANGE_TTL_MS = 48 * 3_600_000;

export type SubmitOutcome = { created: true; application: Application; applicantToken: string } | { created: false };

export interface ResubmitOutcome extends ApplicationStatusView {
  emailChange?: { email: string; status: 'awaiting-confirmation'; expiresAt: string };
}

/**
 * Partner applications: submission starts the onboarding workflow (`onboarding:<id>`). A repeated
 * submission (same kind, e-mail and tax ID) reveals nothing: the caller learns only that it
 * exists, and the address on file is e-mailed its link. The applicant follows, withdraws and
 * resubmits with a token derived from the application id, which only that address receives; a
 * new contact e-mail takes effect once confirmed from it.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
  ) {}

  async submit(dto: SubmitApplicationDto, principal: Principal | undefined): Promise<SubmitOutcome> {
    const { sponsor, parentReseller } = await this.sponsorship(dto);
    const email = normalizeEmail(dto.email);
    const businessKey = sha256([dto.kind, email, normalizeTaxId(dto.taxId)].join('|'));
    let application = await this.em.findOne(Application, { businessKey }, { populate: ['sponsor', 'parentReseller', 'createdParty'] });
    const created = !application;
    if (!application) {
      application = this.em.create(Application, {
        businessKey,
        kind: dto.kind,
        name: dto.name.trim(),
        contactName: dto.contactName.trim(),
        email,
        taxId: normalizeTaxId(dto.taxId),
        billingEmail: dto.billingEmail ? normalizeEmail(dto.billingEmail) : null,
        branding: dto.branding ? { ...dto.branding } : null,
        sponsor: parentReseller ?? sponsor,
        parentReseller,
        submittedBy: principal ? principal.ref : 'public',
        workflowId: '',
      });
      application.workflowId = onboardingWorkflowId(application.id);
      try {
        await this.em.flush();
      } catch (error) {
        // A concurrent twin inserted it first: the unique business key decides, this is a repeat.
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        this.em.clear();
        return this.repeated(await this.em.findOneOrFail(Application, { businessKey }));
      }
    }
    // Start (or find) the process. A crash between the insert and the start is healed by a retry.
    await this.startWorkflow(application);
    if (!created) return this.repeated(application);
    return { created: true, application, applicantToken: this.applicantToken(application.id) };
  }

  /** A repeated submission: whoever sent it learns nothing; the address on file gets the link (once an hour at most). */
  private async repeated(application: Application): Promise<SubmitOutcome> {
    await this.sendApplicantEmail({
      template: 'application-exists',
      data: {},
      applicationId: application.id,
      idempotencyKey: applicationExistsMailKey(application.id, new Date()),
    });
    return { created: false };
  }

  async list(principal: Principal, query: ListApplicationsQuery): Promise<[Application[], number]> {
    if (principal.partyKind === 'agent' || principal.partyKind === 'client') return [[], 0];
    // The operator sees every application (public ones have no sponsor); a partner those sponsored within what it sees.
    const where: FilterQuery<Application> = principal.partyKind === 'operator' ? {} : { sponsor: this.tenancy.visiblePartiesFilter(principal) };
    if (query.status) Object.assign(where, { status: query.status });
    return this.em.findAndCount(Application, where, {
      populate: ['sponsor', 'parentReseller', 'createdParty'],
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: query.pageSize,
      offset: query.offset,
    });
  }

  /** Visible to the operator, to the sponsor's tenancy, and to whoever holds the applicant token. */
  async get(id: string, principal: Principal | undefined, token: string | undefined): Promise<Application> {
    const application = await this.em.findOne(Application, { id }, { populate: ['sponsor', 'parentReseller', 'createdParty'] });
    const byToken = application && this.isApplicant(application, token);
    const byTenancy = application && principal && this.tenancyAllows(principal, application);
    if (!application || !(byToken || byTenancy))
      throw DomainError.notFound('APPLICATION_NOT_FOUND', `application ${id} does not exist or is not visible to you`);
    return application;
  }

  /**
   * The applicant (its token) may withdraw, with or without a reason; so may, with a reason, an
   * admin of the sponsor (the recruiting distributor or parent reseller) or an operator admin,
   * signed in as a person. Others who can see the application get a 403. Recorded by the workflow.
   */
  async withdraw(id: string, principal: Principal | undefined, token: string | undefined, dto: WithdrawApplicationDto): Promise<ApplicationStatusView> {
    const application = await this.get(id, principal, token);
    const reason = dto.reason?.trim() || undefined;
    let by = 'applicant';
    if (!this.isApplicant(application, token)) {
      if (!principal || !this.mayWithdraw(principal, application))
        throw DomainError.forbidden(
          'APPLICATION_WITHDRAW_FORBIDDEN',
          'only the applicant, an admin of its sponsor or an operator admin (signed in) may withdraw an application',
        );
      if (!reason) throw DomainError.invalid('WITHDRAWAL_REASON_REQUIRED', 'reason', 'is required when an admin withdraws an application');
      by = principal.ref;
    }
    return this.update(application, () =>
      this.temporal.workflow.getHandle(application.workflowId).executeUpdate(withdrawUpdate, { args: [{ by, ...(reason ? { reason } : {}) }] }),
    );
  }

  /**
   * The applicant's corrections, applied by the workflow at once, except a new contact e-mail:
   * that one is e-mailed a confirmation link (and the address on file is told), and changes only
   * once confirmed (`confirmEmail`).
   */
  async resubmit(id: string, token: string | undefined, dto: ResubmitApplicationDto): Promise<ResubmitOutcome> {
    if (!token) throw new DomainError('APPLICANT_TOKEN_REQUIRED', 'only the applicant may resubmit: send X-Applicant-Token', [], 'unauthenticated');
    const application = await this.get(id, undefined, token);
    const { comment, email, ...changes } = dto;
    const newEmail = email === undefined ? undefined : normalizeEmail(email);
    const emailChanges = newEmail !== undefined && newEmail !== application.email;
    if (Object.keys(changes).length === 0 && !comment && !emailChanges)
      throw DomainError.invalid('APPLICATION_NO_CHANGES', 'body', 'must change at least one field or carry a comment');
    if (changes.taxId) changes.taxId = normalizeTaxId(changes.taxId);
    const status = await this.update(application, () =>
      this.temporal.workflow.getHandle(application.workflowId).executeUpdate(resubmitUpdate, { args: [{ by: 'applicant', changes, comment }] }),
    );
    if (!emailChanges) return status;
    const expiresAt = new Date(Date.now() + EMAIL_CHANGE_TTL_MS).toISOString();
    const key = `application:${application.id}:email-change:${status.round}:${sha256(newEmail).slice(0, 16)}`;
    const data = { newEmail, expiresAt };
    await this.sendApplicantEmail({ template: 'email-change-confirmation', data, applicationId: application.id, idempotencyKey: `${key}:confirm` });
    await this.sendApplicantEmail({ template: 'email-change-requested', data, applicationId: application.id, idempotencyKey: `${key}:notice` });
    return { ...status, emailChange: { email: newEmail, status: 'awaiting-confirmation', expiresAt } };
  }

  /** The address a confirmation link confirms, or a 400 (forged, expired, or for another application). */
  checkEmailChange(id: string, token: string): { email: string; expiresAt: Date } {
    const claims = readEmailChangeToken(this.config.jwt.secret, id, token);
    if (!claims) throw DomainError.invalid('EMAIL_CHANGE_TOKEN_INVALID', 'token', 'is not a valid confirmation link for this application, or it has expired');
    return claims;
  }

  /** Makes the confirmed address the contact e-mail (through the workflow, which refuses it once approved). */
  async confirmEmail(id: string, token: string): Promise<{ applicationId: string; email: string; status: string }> {
    const { email } = this.checkEmailChange(id, token);
    const application = await this.em.findOne(Application, { id });
    if (!application) throw DomainError.invalid('EMAIL_CHANGE_TOKEN_INVALID', 'token', 'is not a valid confirmation link for this application');
    if (application.email === email) return { applicationId: id, email, status: application.status }; // confirmed before
    const status = await this.update(application, () =>
      this.temporal.workflow.getHandle(application.workflowId).executeUpdate(confirmEmailChangeUpdate, { args: [{ email }] }),
    );
    return { applicationId: id, email, status: status.status };
  }

  applicantToken(applicationId: string): string {
    return signedToken(this.config.jwt.secret, 'applicant', applicationId);
  }

  private isApplicant(application: Application, token: string | undefined): boolean {
    return token !== undefined && signedTokenMatches(this.config.jwt.secret, 'applicant', application.id, token);
  }

  /** An operator admin, or an admin of the application's sponsor, signed in as a person. */
  private mayWithdraw(principal: Principal, application: Application): boolean {
    if (principal.type !== 'user' || !isPartyAdmin(principal.roles, principal.partyKind)) return false;
    return principal.partyKind === 'operator' || principal.partyId === application.sponsor?.id;
  }

  /** The API sends no mail itself: a one-activity workflow keyed by the mail sends it, once. */
  private async sendApplicantEmail(input: ApplicantEmailWorkflowInput): Promise<void> {
    try {
      await this.temporal.workflow.start(APPLICANT_EMAIL_WORKFLOW, {
        workflowId: applicantEmailWorkflowId(input.idempotencyKey),
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  private update(application: Application, call: () => Promise<ApplicationStatusView>): Promise<ApplicationStatusView> {
    return executeUpdateOrRefuse(call, {
      kinds: REFUSAL_KIND,
      fallbackCode: 'ONBOARDING_REFUSED',
      ended: () => DomainError.conflict('ONBOARDING_ALREADY_FINISHED', `application ${application.id} is ${application.status}: its process has ended`),
    });
  }

  private async startWorkflow(application: Application): Promise<void> {
    const input: PartnerOnboardingInput = {
      applicationId: application.id,
      kind: application.kind,
      applicantName: application.name,
      sponsorPartyId: application.sponsor?.id,
      parentResellerId: application.parentReseller?.id,
      operatorPartyId: (await this.em.findOneOrFail(Party, { kind: 'operator' })).id,
      operatorPolicy: { mode: this.config.onboarding.operatorApproval },
      timings: { reminderEvery: this.config.onboarding.reminderEvery, expiresAfter: this.config.onboarding.expiresAfter },
    };
    try {
      await this.temporal.workflow.start(ONBOARDING_WORKFLOW, {
        workflowId: application.workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /**
   * The sponsor and parent of an application. The form is public, so it must not tell which party
   * ids exist: an unknown id, a party of the wrong kind and an inactive one get the same answer.
   * Rules that need no lookup come first.
   */
  private async sponsorship(dto: SubmitApplicationDto): Promise<{ sponsor: Party | null; parentReseller: Party | null }> {
    if (dto.kind === 'agent' && !dto.sponsorPartyId)
      throw DomainError.invalid('APPLICATION_SPONSOR_REQUIRED', 'sponsorPartyId', 'is required for an agent (the distributor it works for)');
    if (dto.kind === 'distributor' && (dto.sponsorPartyId || dto.parentResellerId))
      throw DomainError.invalid(
        'APPLICATION_INVALID_SPONSOR',
        dto.sponsorPartyId ? 'sponsorPartyId' : 'parentResellerId',
        'must be empty: distributors join the operator directly',
      );
    if (dto.kind !== 'reseller' && dto.parentResellerId)
      throw DomainError.invalid('APPLICATION_INVALID_PARENT', 'parentResellerId', 'is only for a sub-reseller');
    if (dto.sponsorPartyId && dto.parentResellerId)
      throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'must be empty for a sub-reseller: its parent reseller sponsors it');
    const sponsor = dto.sponsorPartyId ? await this.em.findOne(Party, { id: dto.sponsorPartyId }) : null;
    const parentReseller = dto.parentResellerId ? await this.em.findOne(Party, { id: dto.parentResellerId }) : null;
    if (dto.sponsorPartyId && !(sponsor && sponsor.kind === 'distributor' && sponsor.status === 'active'))
      throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'is not a distributor taking applications');
    if (dto.parentResellerId && !(parentReseller && parentReseller.kind === 'reseller' && parentReseller.status === 'active'))
      throw DomainError.invalid('APPLICATION_INVALID_PARENT', 'parentResellerId', 'is not a reseller taking sub-resellers');
    return { sponsor, parentReseller };
  }

  private tenancyAllows(principal: Principal, application: Application): boolean {
    if (principal.partyKind === 'operator') return true;
    if (principal.partyKind === 'agent' || principal.partyKind === 'client') return false;
    return !!application.sponsor && application.sponsor.path.startsWith(principal.partyPath);
  }
}
