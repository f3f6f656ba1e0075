import { LockMode, type FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ApplicationChanges, OnboardingStatus } from '@wholesail/contracts';
import {
  DomainError,
  normalizeEmail,
  normalizeTaxId,
  PARTY_ADMIN_ROLE,
  stripControlCharacters,
  taxIdProblems,
  type FieldProblem,
  type Role,
} from '@wholesail/domain';
import { AgreementWriter, Invitations, PartyWriter, PriceBookWriter } from '@wholesail/parties';
import { Application, likeExactly, lockPartyTree, Party, User } from '@wholesail/persistence';

/**
 * Defaults a newly approved partner starts with; the operator adjusts them afterwards. They are
 * written through the same validated writers as the API's (libs/parties): an agreement in the
 * catalog's currency, price books checked by the pricing engine, an invitation that expires after
 * INVITATION_TTL_HOURS.
 */
export const ONBOARDING_DEFAULTS = {
  distributorRate: '0.05',
  agentRate: '0.02',
  resellerClientUpliftPercent: '20',
  resellerSubResellerUpliftPercent: '10',
};
export type OnboardingDefaults = typeof ONBOARDING_DEFAULTS;

const LIVE_STATUSES: OnboardingStatus[] = ['checking', 'awaiting-sponsor', 'awaiting-operator', 'changes-requested', 'approved', 'provisioning'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Data access for the onboarding activities: every write checks before it writes. */
@Injectable()
export class OnboardingRecords {
  constructor(
    private readonly em: EntityManager,
    private readonly parties: PartyWriter,
    private readonly agreements: AgreementWriter,
    private readonly priceBooks: PriceBookWriter,
    private readonly invitations: Invitations,
  ) {}

  async application(id: string): Promise<Application> {
    const application = await this.em.fork().findOne(Application, { id }, { populate: ['sponsor', 'parentReseller'] });
    if (!application) throw DomainError.notFound('APPLICATION_NOT_FOUND', `application ${id} does not exist`);
    return application;
  }

  /**
   * Required fields, a well-formed tax ID, and no duplicate name or tax ID among partners (the
   * PartyWriter's rule: a public applicant learns nothing about clients), e-mail among users, or
   * name, e-mail or tax ID among other applications in progress.
   */
  async checkApplication(id: string): Promise<FieldProblem[]> {
    const em = this.em.fork();
    const app = await em.findOneOrFail(Application, { id }, { populate: ['sponsor', 'parentReseller'] });
    const problems: FieldProblem[] = [];
    for (const field of ['name', 'contactName', 'email', 'taxId'] as const) if (!app[field]?.trim()) problems.push({ field, problem: 'is required' });
    if (app.email && !EMAIL.test(app.email)) problems.push({ field: 'email', problem: 'is not an e-mail address' });
    if (app.taxId) problems.push(...taxIdProblems(app.taxId));
    if (problems.length) return problems;

    const taxId = normalizeTaxId(app.taxId);
    problems.push(...(await this.parties.duplicates(em, { kind: app.kind, parentId: null, name: app.name, taxId })));
    if (await em.count(User, { email: app.email.toLowerCase() })) problems.push({ field: 'email', problem: 'already belongs to a user' });
    const live: FilterQuery<Application> = { id: { $ne: app.id }, status: { $in: LIVE_STATUSES } };
    if (await em.count(Application, { ...live, name: { $ilike: likeExactly(app.name) } }))
      problems.push({ field: 'name', problem: 'is used by another application in progress' });
    if (await em.count(Application, { ...live, email: { $ilike: likeExactly(app.email) } }))
      problems.push({ field: 'email', problem: 'is used by another application in progress' });
    if (await em.count(Application, { ...live, taxId })) problems.push({ field: 'taxId', problem: 'is used by another application in progress' });
    return problems;
  }

  async setStatus(id: string, status: OnboardingStatus, reason?: string, problems?: FieldProblem[]): Promise<void> {
    // A reason can quote a person (a withdrawal, a decision's comment): control characters never fail the write.
    const statusReason = reason === undefined ? null : stripControlCharacters(reason);
    await this.em.fork().nativeUpdate(Application, { id }, { status, statusReason, ...(problems ? { problems } : {}) });
  }

  async applyResubmission(id: string, round: number, changes: ApplicationChanges): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const app = await em.findOneOrFail(Application, { id });
      if (app.round >= round) return; // already applied by an earlier attempt
      if (changes.name !== undefined) app.name = stripControlCharacters(changes.name).trim();
      if (changes.contactName !== undefined) app.contactName = stripControlCharacters(changes.contactName).trim();
      if (changes.email !== undefined) app.email = normalizeEmail(changes.email);
      if (changes.taxId !== undefined) app.taxId = normalizeTaxId(changes.taxId);
      if (changes.billingEmail !== undefined) app.billingEmail = changes.billingEmail;
      if (changes.branding !== undefined) app.branding = changes.branding;
      app.round = round;
      app.problems = null;
    });
  }

  /**
   * Makes `email` the application's contact e-mail, unless a user or another live application has
   * it (the automatic checks' rule, applied to an address confirmed between two rounds).
   */
  async changeEmail(id: string, email: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const app = await em.findOneOrFail(Application, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const address = normalizeEmail(email);
      if (app.email === address) return; // already changed by an earlier attempt
      if (await em.count(User, { email: address }))
        throw DomainError.conflict('APPLICATION_EMAIL_TAKEN', 'this e-mail address already belongs to a user', [
          { field: 'email', problem: 'already belongs to a user' },
        ]);
      if (await em.count(Application, { id: { $ne: id }, email: { $ilike: likeExactly(address) }, status: { $in: LIVE_STATUSES } }))
        throw DomainError.conflict('APPLICATION_EMAIL_TAKEN', 'this e-mail address is used by another application in progress', [
          { field: 'email', problem: 'is used by another application in progress' },
        ]);
      app.email = address;
    });
  }

  /** Who withdrew the application, why and when; the first record stays. */
  async recordWithdrawal(id: string, by: string, reason: string | undefined, at: Date): Promise<void> {
    await this.em
      .fork()
      .nativeUpdate(
        Application,
        { id, withdrawnBy: null },
        { withdrawnBy: stripControlCharacters(by), withdrawalReason: reason ? stripControlCharacters(reason) : null, withdrawnAt: at },
      );
  }

  /**
   * Creates the partner through the validated writers (libs/parties), in one transaction: the party
   * under its sponsor (or the operator), its commission agreement or default price books, the
   * distributor assignment of a top-level reseller, and an invited admin user. Keyed by the
   * application: a retry finds what the first call created. A partner of the same name or tax ID
   * created meanwhile (by another application or the API) makes it fail with PARTY_DUPLICATE.
   */
  async provision(id: string, defaults: OnboardingDefaults): Promise<{ party: Party; admin: User }> {
    return this.em.fork().transactional(async (em) => {
      const app = await em.findOneOrFail(Application, { id }, { populate: ['sponsor', 'parentReseller', 'createdParty'] });
      if (app.createdParty) return { party: app.createdParty, admin: await em.findOneOrFail(User, { email: app.email.toLowerCase() }) };
      await lockPartyTree(em, 'shared'); // before reading the parent's path: a concurrent reseller move must not rewrite it
      const parent = app.parentReseller ?? app.sponsor ?? (await em.findOneOrFail(Party, { kind: 'operator' }));
      if (app.kind === 'agent' && parent.kind !== 'distributor')
        throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'an agent must be sponsored by a distributor');
      if (app.kind === 'distributor' && parent.kind !== 'operator')
        throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'a distributor joins the operator directly');
      const party = await this.parties.create(em, {
        kind: app.kind,
        name: app.name,
        parent,
        billingEmail: app.billingEmail ?? app.email,
        notificationEmail: app.email,
        taxId: app.taxId,
        // Only resellers brand a portal and documents.
        branding: app.kind === 'reseller' ? app.branding : undefined,
      });
      if (app.kind === 'distributor') await this.agreements.addVersion(em, party, { rate: defaults.distributorRate });
      else if (app.kind === 'agent') await this.agreements.addVersion(em, party, { rate: defaults.agentRate, fundedBy: 'operator' });
      else {
        const createdBy = `onboarding:${app.id}`;
        await this.priceBooks.addVersion(em, party, { audience: 'clients', defaultUpliftPercent: defaults.resellerClientUpliftPercent, createdBy });
        await this.priceBooks.addVersion(em, party, { audience: 'subResellers', defaultUpliftPercent: defaults.resellerSubResellerUpliftPercent, createdBy });
      }
      const admin = await this.invitations.inviteAdmin(em, { party, email: app.email, displayName: app.contactName, role: PARTY_ADMIN_ROLE[app.kind] as Role });
      app.createdParty = party;
      return { party, admin };
    });
  }
}
