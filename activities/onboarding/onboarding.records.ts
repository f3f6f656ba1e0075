import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ApplicationChanges, ApprovalTaskView, OnboardingActivities, OnboardingStatus } from '@wholesail/contracts';
import {
  DomainError,
  isWellFormedTaxId,
  normalizeEmail,
  normalizeTaxId,
  PARTY_ADMIN_ROLE,
  stripControlCharacters,
  type ApprovalPolicy,
  type ApprovalTaskStatus,
  type FieldProblem,
  type Role,
} from '@wholesail/domain';
import {
  Application,
  ApprovalDecision,
  ApprovalTask,
  CommissionAgreement,
  lockPartyTree,
  Party,
  PriceBookVersion,
  ResellerAssignment,
  User,
} from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';

/** Defaults a newly approved partner starts with; the operator adjusts them afterwards. */
export const ONBOARDING_DEFAULTS = {
  distributorRate: '0.050000',
  agentRate: '0.020000',
  currency: 'EUR',
  resellerClientUpliftPercent: '20',
  resellerSubResellerUpliftPercent: '10',
  invitationTtlMs: 7 * 24 * 3600 * 1000,
};
export type OnboardingDefaults = typeof ONBOARDING_DEFAULTS;

const LIVE_STATUSES: OnboardingStatus[] = ['checking', 'awaiting-sponsor', 'awaiting-operator', 'changes-requested', 'approved', 'provisioning'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Data access for the onboarding activities: every write checks before it writes. */
@Injectable()
export class OnboardingRecords {
  constructor(private readonly em: EntityManager) {}

  async application(id: string): Promise<Application> {
    const application = await this.em.fork().findOne(Application, { id }, { populate: ['sponsor', 'parentReseller'] });
    if (!application) throw DomainError.notFound('APPLICATION_NOT_FOUND', `application ${id} does not exist`);
    return application;
  }

  /** Required fields, a well-formed tax ID, and no duplicate name, e-mail or tax ID among partners, users and live applications. */
  async checkApplication(id: string): Promise<FieldProblem[]> {
    const em = this.em.fork();
    const app = await em.findOneOrFail(Application, { id }, { populate: ['sponsor', 'parentReseller'] });
    const problems: FieldProblem[] = [];
    for (const field of ['name', 'contactName', 'email', 'taxId'] as const) if (!app[field]?.trim()) problems.push({ field, problem: 'is required' });
    if (app.email && !EMAIL.test(app.email)) problems.push({ field: 'email', problem: 'is not an e-mail address' });
    if (app.taxId && !isWellFormedTaxId(app.taxId))
      problems.push({ field: 'taxId', problem: 'is not a well-formed tax ID (two-letter country code and 2–13 letters or digits)' });
    if (problems.length) return problems;

    const taxId = normalizeTaxId(app.taxId);
    if (await em.count(Party, { name: { $ilike: app.name.replace(/[\\%_]/g, '\\$&') } }))
      problems.push({ field: 'name', problem: 'is already used by a partner' });
    if (await em.count(Party, { taxId })) problems.push({ field: 'taxId', problem: 'is already registered to a partner' });
    if (await em.count(User, { email: app.email.toLowerCase() })) problems.push({ field: 'email', problem: 'already belongs to a user' });
    const others = await em.find(Application, { id: { $ne: app.id }, status: { $in: LIVE_STATUSES } });
    if (others.some((o) => o.name.toLowerCase() === app.name.toLowerCase()))
      problems.push({ field: 'name', problem: 'is used by another application in progress' });
    if (others.some((o) => o.email.toLowerCase() === app.email.toLowerCase()))
      problems.push({ field: 'email', problem: 'is used by another application in progress' });
    if (others.some((o) => normalizeTaxId(o.taxId) === taxId)) problems.push({ field: 'taxId', problem: 'is used by another application in progress' });
    return problems;
  }

  async setStatus(id: string, status: OnboardingStatus, reason?: string, problems?: FieldProblem[]): Promise<void> {
    // A reason can quote a person (a withdrawal, a decision's comment): control characters never fail the write.
    const statusReason = reason === undefined ? null : stripControlCharacters(reason);
    await this.em.fork().nativeUpdate(Application, { id }, { status, statusReason, ...(problems ? { problems } : {}) });
  }

  /** Inserts the task unless it exists; true when this call created it. */
  async openTask(task: ApprovalTaskView): Promise<boolean> {
    const em = this.em.fork();
    const inserted = await em
      .createQueryBuilder(ApprovalTask)
      .insert({
        id: task.taskId,
        workflowId: task.workflowId,
        workflowType: task.workflowType,
        stepKey: task.stepKey,
        round: task.round,
        title: task.title,
        description: task.description,
        subjectType: task.subject.type,
        subjectId: task.subject.id,
        subjectUrl: task.subject.url,
        assigneeRole: task.policy.role,
        assigneePartyId: task.policy.partyId,
        mode: task.policy.mode,
        approverIds: task.policy.approverIds ?? null,
        approvals: task.approvals,
        status: task.status,
        openedAt: new Date(task.openedAt),
        dueAt: new Date(task.dueAt),
        remindersSent: 0,
      })
      .onConflict('id')
      .ignore()
      .execute('run');
    return (inserted as { affectedRows?: number }).affectedRows !== 0;
  }

  async task(id: string): Promise<ApprovalTask> {
    const task = await this.em.fork().findOne(ApprovalTask, { id });
    if (!task) throw DomainError.notFound('APPROVAL_UNKNOWN_TASK', `task ${id} does not exist`);
    return task;
  }

  async recordDecision(input: Parameters<OnboardingActivities['recordDecision']>[0]): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const { decision } = input;
      const decidedAt = new Date(input.decidedAt);
      await em
        .createQueryBuilder(ApprovalDecision)
        .insert({
          id: input.decisionId,
          taskId: decision.taskId,
          workflowId: input.workflowId,
          decision: decision.decision,
          comment: decision.comment ? stripControlCharacters(decision.comment) : null,
          decidedById: decision.decider.userId,
          decidedByEmail: decision.decider.email ?? null,
          decidedByPartyId: decision.decider.partyId,
          decidedByRoles: [...decision.decider.roles],
          decidedAt,
          outcome: input.outcome ?? null,
        })
        .onConflict('id')
        .ignore()
        .execute();
      const task = await em.findOneOrFail(ApprovalTask, { id: decision.taskId });
      if (!task.approvals.some((a) => a.userId === decision.decider.userId)) {
        task.approvals = [
          ...task.approvals,
          {
            userId: decision.decider.userId,
            email: decision.decider.email,
            partyId: decision.decider.partyId,
            decision: decision.decision,
            comment: decision.comment,
            at: input.decidedAt,
          },
        ];
      }
      task.status = input.taskStatus;
      if (input.taskStatus !== 'open') task.closedAt ??= decidedAt;
    });
  }

  async closeTask(id: string, status: Exclude<ApprovalTaskStatus, 'open'>, closedAt: Date): Promise<void> {
    await this.em.fork().nativeUpdate(ApprovalTask, { id, status: 'open' }, { status, closedAt });
  }

  async countReminder(id: string, reminderNo: number): Promise<void> {
    await this.em.fork().nativeUpdate(ApprovalTask, { id, remindersSent: { $lt: reminderNo } }, { remindersSent: reminderNo });
  }

  async usersWithRole(role: Role, partyId: string): Promise<User[]> {
    return this.em.fork().find(User, { party: partyId, status: 'active', roles: { $contains: [role] } }, { orderBy: { email: 'asc' } });
  }

  /** The people a policy names: its approverIds, else everyone holding the role at the party. */
  async approvers(policy: ApprovalPolicy): Promise<User[]> {
    const users = await this.usersWithRole(policy.role, policy.partyId);
    return policy.approverIds?.length ? users.filter((u) => policy.approverIds!.includes(u.id)) : users;
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
      if (await em.count(Application, { id: { $ne: id }, email: address, status: { $in: LIVE_STATUSES } }))
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
   * Creates the partner: party under its sponsor (or the operator), its commission agreement or
   * default price books, the distributor assignment of a top-level reseller, and an invited admin
   * user. Keyed by the application: a retry finds what the first call created.
   */
  async provision(id: string, defaults: OnboardingDefaults): Promise<{ party: Party; admin: User; issuedAt: Date; expiresAt: Date }> {
    return this.em.fork().transactional(async (em) => {
      const app = await em.findOneOrFail(Application, { id }, { populate: ['sponsor', 'parentReseller', 'createdParty'] });
      if (app.createdParty) {
        const admin = await em.findOneOrFail(User, { email: app.email.toLowerCase() });
        return { party: app.createdParty, admin, issuedAt: admin.invitationIssuedAt!, expiresAt: admin.invitationExpiresAt! };
      }
      await lockPartyTree(em, 'shared'); // a concurrent reseller move must not miss this new party
      const operator = await em.findOneOrFail(Party, { kind: 'operator' });
      const now = new Date();
      const parent = app.parentReseller ?? app.sponsor ?? operator;
      if (app.kind === 'agent' && parent.kind !== 'distributor')
        throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'an agent must be sponsored by a distributor');
      if (app.kind === 'distributor' && parent.kind !== 'operator')
        throw DomainError.invalid('APPLICATION_INVALID_SPONSOR', 'sponsorPartyId', 'a distributor joins the operator directly');
      const party = Party.create({
        kind: app.kind,
        name: app.name,
        code: `${slug(app.name)}-${app.id.slice(0, 8)}`,
        parent,
        billingEmail: app.billingEmail ?? app.email,
        taxId: normalizeTaxId(app.taxId),
      });
      party.branding = app.branding ?? null;
      party.notificationEmail = app.email;
      em.persist(party);

      if (app.kind === 'distributor' || app.kind === 'agent') {
        em.persist(
          em.create(CommissionAgreement, {
            party,
            rate: app.kind === 'distributor' ? defaults.distributorRate : defaults.agentRate,
            currency: defaults.currency,
            fundedBy: app.kind === 'agent' ? 'operator' : null,
            effectiveFrom: now,
          }),
        );
      } else {
        if (parent.kind !== 'reseller')
          em.persist(em.create(ResellerAssignment, { reseller: party, distributor: parent.kind === 'distributor' ? parent : null, effectiveFrom: now }));
        em.persist(
          em.create(PriceBookVersion, {
            reseller: party,
            audience: 'clients',
            defaultUpliftPercent: defaults.resellerClientUpliftPercent,
            effectiveFrom: now,
            createdBy: `onboarding:${app.id}`,
          }),
        );
        em.persist(
          em.create(PriceBookVersion, {
            reseller: party,
            audience: 'subResellers',
            defaultUpliftPercent: defaults.resellerSubResellerUpliftPercent,
            effectiveFrom: now,
            createdBy: `onboarding:${app.id}`,
          }),
        );
      }

      const issuedAt = now;
      const expiresAt = new Date(now.getTime() + defaults.invitationTtlMs);
      const admin = em.create(User, {
        id: randomUUID(),
        email: app.email.toLowerCase(),
        displayName: app.contactName,
        party,
        roles: [PARTY_ADMIN_ROLE[app.kind] as Role],
        status: 'invited',
        passwordHash: null,
        invitationIssuedAt: issuedAt,
        invitationExpiresAt: expiresAt,
      });
      app.createdParty = party;
      return { party, admin, issuedAt, expiresAt };
    });
  }
}

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
      .slice(0, 60) || 'partner'
  );
}
