import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { sha256, signedToken, signedTokenMatches, type Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import {
  ONBOARDING_WORKFLOW,
  onboardingWorkflowId,
  resubmitUpdate,
  withdrawUpdate,
  type ApplicationStatusView,
  type PartnerOnboardingInput,
} from '@wholesail/contracts';
import { DomainError, normalizeTaxId, type DomainErrorKind } from '@wholesail/domain';
import { Application, Party } from '@wholesail/persistence';
import { executeUpdateOrRefuse, TEMPORAL_CLIENT } from '@wholesail/temporal';
import { TenancyService } from '../tenancy/tenancy.service';
import type { ListApplicationsQuery, ResubmitApplicationDto, SubmitApplicationDto, WithdrawApplicationDto } from './dto/application.dto';

const REFUSAL_KIND: Record<string, DomainErrorKind> = { ONBOARDING_ALREADY_FINISHED: 'conflict', ONBOARDING_NOT_AWAITING_CHANGES: 'conflict' };

/**
 * Partner applications: submission starts the onboarding workflow (`onboarding:<id>`); a repeated
 * submission (same kind, e-mail and tax ID) finds the first application and its workflow. The
 * applicant follows, withdraws and resubmits with a token derived from the application id.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
  ) {}

  async submit(dto: SubmitApplicationDto, principal: Principal | undefined): Promise<{ application: Application; created: boolean; applicantToken: string }> {
    const { sponsor, parentReseller } = await this.sponsorship(dto);
    const businessKey = sha256([dto.kind, dto.email.trim().toLowerCase(), normalizeTaxId(dto.taxId)].join('|'));
    let application = await this.em.findOne(Application, { businessKey }, { populate: ['sponsor', 'parentReseller', 'createdParty'] });
    const created = !application;
    if (!application) {
      application = this.em.create(Application, {
        businessKey,
        kind: dto.kind,
        name: dto.name.trim(),
        contactName: dto.contactName.trim(),
        email: dto.email.trim().toLowerCase(),
        taxId: normalizeTaxId(dto.taxId),
        billingEmail: dto.billingEmail?.trim().toLowerCase() ?? null,
        branding: dto.branding ? { ...dto.branding } : null,
        sponsor: parentReseller ?? sponsor,
        parentReseller,
        submittedBy: principal ? principal.ref : 'public',
        workflowId: '',
      });
      application.workflowId = onboardingWorkflowId(application.id);
      await this.em.flush();
    }
    // Start (or find) the process. A crash between the insert and the start is healed by a retry.
    await this.startWorkflow(application);
    return { application, created, applicantToken: this.applicantToken(application.id) };
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
    const byToken = application && token !== undefined && signedTokenMatches(this.config.jwt.secret, 'applicant', application.id, token);
    const byTenancy = application && principal && this.tenancyAllows(principal, application);
    if (!application || !(byToken || byTenancy))
      throw DomainError.notFound('APPLICATION_NOT_FOUND', `application ${id} does not exist or is not visible to you`);
    return application;
  }

  async withdraw(id: string, principal: Principal | undefined, token: string | undefined, dto: WithdrawApplicationDto): Promise<ApplicationStatusView> {
    const application = await this.get(id, principal, token);
    const by = token ? 'applicant' : principal!.ref;
    return this.update(application, () =>
      this.temporal.workflow.getHandle(application.workflowId).executeUpdate(withdrawUpdate, { args: [{ by, reason: dto.reason }] }),
    );
  }

  async resubmit(id: string, token: string | undefined, dto: ResubmitApplicationDto): Promise<ApplicationStatusView> {
    if (!token) throw new DomainError('APPLICANT_TOKEN_REQUIRED', 'only the applicant may resubmit: send X-Applicant-Token', [], 'unauthenticated');
    const application = await this.get(id, undefined, token);
    const { comment, ...changes } = dto;
    if (Object.keys(changes).length === 0 && !comment)
      throw DomainError.invalid('APPLICATION_NO_CHANGES', 'body', 'must change at least one field or carry a comment');
    if (changes.taxId) changes.taxId = normalizeTaxId(changes.taxId);
    return this.update(application, () =>
      this.temporal.workflow.getHandle(application.workflowId).executeUpdate(resubmitUpdate, { args: [{ by: 'applicant', changes, comment }] }),
    );
  }

  applicantToken(applicationId: string): string {
    return signedToken(this.config.jwt.secret, 'applicant', applicationId);
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

  private async sponsorship(dto: SubmitApplicationDto): Promise<{ sponsor: Party | null; parentReseller: Party | null }> {
    const sponsor = dto.sponsorPartyId ? await this.em.findOne(Party, { id: dto.sponsorPartyId }) : null;
    const parentReseller = dto.parentResellerId ? await this.em.findOne(Party, { id: dto.parentResellerId }) : null;
    if (dto.sponsorPartyId && !sponsor) throw DomainError.invalid('APPLICATION_UNKNOWN_SPONSOR', 'sponsorPartyId', 'does not exist');
    if (dto.parentResellerId && !parentReseller) throw DomainError.invalid('APPLICATION_UNKNOWN_PARENT', 'parentResellerId', 'does not exist');
    if (sponsor && sponsor.kind !== 'distributor') throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'must be a distributor');
    if (parentReseller && parentReseller.kind !== 'reseller') throw DomainError.invalid('APPLICATION_INVALID_PARENT', 'parentResellerId', 'must be a reseller');
    if (dto.kind === 'agent' && !sponsor)
      throw DomainError.invalid('APPLICATION_SPONSOR_REQUIRED', 'sponsorPartyId', 'is required for an agent (the distributor it works for)');
    if (dto.kind === 'distributor' && (sponsor || parentReseller))
      throw DomainError.invalid(
        'APPLICATION_INVALID_SPONSOR',
        dto.sponsorPartyId ? 'sponsorPartyId' : 'parentResellerId',
        'must be empty: distributors join the operator directly',
      );
    if (dto.kind !== 'reseller' && parentReseller) throw DomainError.invalid('APPLICATION_INVALID_PARENT', 'parentResellerId', 'is only for a sub-reseller');
    if (sponsor && parentReseller)
      throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'must be empty for a sub-reseller: its parent reseller sponsors it');
    for (const party of [sponsor, parentReseller])
      if (party && party.status !== 'active')
        throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', party === sponsor ? 'sponsorPartyId' : 'parentResellerId', `is ${party.status}`);
    return { sponsor, parentReseller };
  }

  private tenancyAllows(principal: Principal, application: Application): boolean {
    if (principal.partyKind === 'operator') return true;
    if (principal.partyKind === 'agent' || principal.partyKind === 'client') return false;
    return !!application.sponsor && application.sponsor.path.startsWith(principal.partyPath);
  }
}
