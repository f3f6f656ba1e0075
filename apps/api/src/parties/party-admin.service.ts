import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { assertMayCreate, assertMayCreateKind, assertParentKind, assertPartyInput, DomainError, PartyErrorCode } from '@wholesail/domain';
import { PartyWriter } from '@wholesail/parties';
import { lockPartyTree, Party, type PartyBranding } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { BrandingDto, CreatePartyDto, UpdatePartyDto } from './dto/party-admin.dto';

/**
 * The partner network's direct administration: who may create and change which parties. (Partners
 * normally join through the onboarding workflow; status changes go through the status-request
 * workflow.) What makes a party valid and unique is the PartyWriter's (libs/parties), shared with
 * onboarding. Every write validates fully, then writes in one transaction, so a refused request
 * leaves nothing behind.
 */
@Injectable()
export class PartyAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly writer: PartyWriter,
  ) {}

  async create(principal: Principal, dto: CreatePartyDto): Promise<string> {
    assertMayCreateKind(principal, dto.kind);
    assertPartyInput(dto.kind, dto);
    return this.em.transactional(async (tx) => {
      // Before reading the parent's path: a concurrent move must not rewrite it under us (see lockPartyTree).
      await lockPartyTree(tx, 'shared');
      const parentId = dto.parentId ?? principal.partyId;
      const parent = await tx.findOne(Party, { id: parentId });
      if (!parent || !this.tenancy.canSee(principal, parent)) throw DomainError.invalid(PartyErrorCode.UnknownParent, 'parentId', 'does not exist');
      assertParentKind(dto.kind, parent.kind);
      assertMayCreate(this.tenancy.caller(principal), dto.kind, parent);
      const party = await this.writer.create(tx, {
        kind: dto.kind,
        name: dto.name,
        code: dto.code,
        parent,
        foundBy: dto.foundById !== undefined ? await this.creditedAgent(tx, principal, dto.foundById, parent) : undefined,
        activeSince: dto.activeSince,
        billingEmail: dto.billingEmail,
        notificationEmail: dto.notificationEmail,
        taxId: dto.taxId,
        branding: dto.branding !== undefined ? mergeBranding(null, dto.branding) : undefined,
      });
      return party.id;
    });
  }

  /**
   * Contacts and branding: the party's own admin or an admin above it. Name and tax ID are the
   * party's legal identity, and a client's activeSince its history: only an admin above it changes
   * them (the operator, with none above, changes its own name and tax ID).
   */
  async update(principal: Principal, id: string, dto: UpdatePartyDto): Promise<void> {
    await this.em.transactional(async (tx) => {
      const party = await tx.findOne(Party, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      this.tenancy.assertCanSee(principal, party, id);
      const own = party.id === principal.partyId;
      const above = this.tenancy.canManage(principal, party);
      if (!own && !above) throw DomainError.forbidden('PARTY_UPDATE_FORBIDDEN', `you may not change party ${id}: only its own admin or an admin above it`);
      const identity = (['name', 'taxId', 'activeSince'] as const).filter((field) => dto[field] !== undefined);
      if (!above && party.kind !== 'operator' && identity.length) {
        throw new DomainError(
          'PARTY_UPDATE_FORBIDDEN',
          `only an admin above your party may change its ${identity.join(' and ')}`,
          identity.map((field) => ({ field, problem: 'can be changed only by an admin above this party' })),
          'forbidden',
        );
      }
      await this.writer.update(tx, party, {
        name: dto.name,
        taxId: dto.taxId,
        activeSince: dto.activeSince,
        billingEmail: dto.billingEmail,
        notificationEmail: dto.notificationEmail,
        branding: dto.branding === undefined ? undefined : dto.branding === null ? null : mergeBranding(party.branding ?? null, dto.branding),
      });
    });
  }

  /**
   * The agent a new client is credited to. The operator sees every agent and gets the precise
   * reason (from the writer); anyone else may name only an agent of the client's own distributor
   * (which it cannot otherwise see), and any other id reads as unknown, so it learns nothing about
   * other tenants.
   */
  private async creditedAgent(tx: EntityManager, principal: Principal, foundById: string, clientParent: Party): Promise<Party> {
    const agent = await tx.findOne(Party, { id: foundById });
    if (!agent || !(this.tenancy.canSee(principal, agent) || (await this.writer.isAgentOfClientsDistributor(tx, agent, clientParent))))
      throw DomainError.invalid(PartyErrorCode.InvalidAgent, 'foundById', 'does not exist');
    return agent;
  }
}

function mergeBranding(stored: PartyBranding | null, change: BrandingDto | undefined): PartyBranding | null {
  if (!change) return stored;
  const merged: PartyBranding = { ...(stored ?? {}) };
  for (const key of ['logoUrl', 'primaryColor', 'accentColor'] as const) {
    const value = change[key];
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return Object.keys(merged).length ? merged : null;
}
