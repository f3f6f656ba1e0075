import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import {
  assertAgentFitsClient,
  assertMayCreate,
  assertMayCreateKind,
  assertParentKind,
  distributorIdOf,
  DomainError,
  isWellFormedTaxId,
  normalizeTaxId,
  pathIds,
  type FieldProblem,
  type PartyKind,
  type TreeNode,
} from '@wholesail/domain';
import { lockPartyTree, Party, ResellerAssignment, type PartyBranding } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { TenancyService } from '../tenancy/tenancy.service';
import type { BrandingDto, CreatePartyDto, UpdatePartyDto } from './dto/party-admin.dto';

const TAX_ID_PROBLEM = 'is not a well-formed tax ID (two-letter country code and 2–13 letters or digits)';

/**
 * The partner network's direct administration: creating parties and changing their contacts,
 * identity and branding. (Partners normally join through the onboarding workflow; status changes
 * go through the status-request workflow.) Every write validates fully, then writes in one
 * transaction, so a refused request leaves nothing behind.
 */
@Injectable()
export class PartyAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
  ) {}

  async create(principal: Principal, dto: CreatePartyDto): Promise<string> {
    assertMayCreateKind(principal, dto.kind);
    const problems: FieldProblem[] = [];
    if (dto.foundById !== undefined && dto.kind !== 'client') problems.push({ field: 'foundById', problem: 'only a client can be credited to an agent' });
    if (dto.branding !== undefined && dto.kind !== 'reseller') problems.push({ field: 'branding', problem: 'only resellers have branding' });
    if (dto.taxId !== undefined && !isWellFormedTaxId(dto.taxId)) problems.push({ field: 'taxId', problem: TAX_ID_PROBLEM });
    if (problems.length) throw invalid(problems);

    try {
      return await this.em.transactional(async (tx) => {
        // Shared: creations run in parallel, but never while a move rewrites paths (see lockPartyTree).
        await lockPartyTree(tx, 'shared');
        const parentId = dto.parentId ?? principal.partyId;
        const parent = await tx.findOne(Party, { id: parentId });
        if (!parent || !this.tenancy.canSee(principal, parent)) throw DomainError.invalid('PARTY_UNKNOWN_PARENT', 'parentId', 'does not exist');
        assertParentKind(dto.kind, parent.kind);
        assertMayCreate(this.tenancy.caller(principal), dto.kind, parent);
        if (parent.status === 'closed') throw DomainError.invalid('PARTY_INVALID_PARENT', 'parentId', 'is closed');
        const foundBy = dto.foundById !== undefined ? await this.creditedAgent(tx, principal, dto.foundById, parent) : null;

        const taxId = dto.taxId !== undefined ? normalizeTaxId(dto.taxId) : null;
        await this.assertUnique(tx, { kind: dto.kind, parent, name: dto.name, taxId, code: dto.code });
        const party = Party.create({
          kind: dto.kind,
          name: dto.name,
          code: dto.code ?? (await this.deriveCode(tx, dto.name, dto.kind)),
          parent,
          foundBy,
          billingEmail: dto.billingEmail,
          taxId,
        });
        party.notificationEmail = dto.notificationEmail ?? null;
        party.branding = dto.kind === 'reseller' ? mergeBranding(null, dto.branding) : null;
        tx.persist(party);
        // A top-level reseller earns for its distributor (or the operator) from now on.
        if (dto.kind === 'reseller' && parent.kind !== 'reseller') {
          tx.persist(
            tx.create(ResellerAssignment, { reseller: party, distributor: parent.kind === 'distributor' ? parent : null, effectiveFrom: party.createdAt }),
          );
        }
        await tx.flush();
        return party.id;
      });
    } catch (error) {
      // Two creations racing for the same code: the loser learns which field collided.
      if (error instanceof UniqueConstraintViolationException)
        throw DomainError.conflict('PARTY_DUPLICATE', 'code is already used by another party', [
          { field: 'code', problem: 'is already used by another party' },
        ]);
      throw error;
    }
  }

  /**
   * Contacts and branding: the party's own admin or an admin above it. Name and tax ID are the
   * party's legal identity: only an admin above it changes them (the operator, with none above,
   * changes its own).
   */
  async update(principal: Principal, id: string, dto: UpdatePartyDto): Promise<void> {
    await this.em.transactional(async (tx) => {
      const party = await tx.findOne(Party, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      this.tenancy.assertCanSee(principal, party, id);
      const own = party.id === principal.partyId;
      const above = this.tenancy.canManage(principal, party);
      if (!own && !above) throw DomainError.forbidden('PARTY_UPDATE_FORBIDDEN', `you may not change party ${id}: only its own admin or an admin above it`);
      const identity = (['name', 'taxId'] as const).filter((field) => dto[field] !== undefined);
      if (!above && party.kind !== 'operator' && identity.length) {
        throw new DomainError(
          'PARTY_UPDATE_FORBIDDEN',
          `only an admin above your party may change its ${identity.join(' and ')}`,
          identity.map((field) => ({ field, problem: 'can be changed only by an admin above this party' })),
          'forbidden',
        );
      }

      const problems: FieldProblem[] = [];
      if (dto.branding !== undefined && party.kind !== 'reseller') problems.push({ field: 'branding', problem: 'only resellers have branding' });
      if (dto.taxId != null && !isWellFormedTaxId(dto.taxId)) problems.push({ field: 'taxId', problem: TAX_ID_PROBLEM });
      if (problems.length) throw invalid(problems);

      const taxId = dto.taxId != null ? normalizeTaxId(dto.taxId) : dto.taxId;
      const parent = party.parent ?? null;
      await this.assertUnique(tx, { kind: party.kind, parent, name: dto.name, taxId: taxId ?? undefined, selfId: party.id });
      if (dto.name !== undefined) party.name = dto.name;
      if (dto.billingEmail !== undefined) party.billingEmail = dto.billingEmail;
      if (dto.notificationEmail !== undefined) party.notificationEmail = dto.notificationEmail;
      if (taxId !== undefined) party.taxId = taxId;
      if (dto.branding !== undefined) party.branding = dto.branding === null ? null : mergeBranding(party.branding ?? null, dto.branding);
    });
  }

  /**
   * The agent a new client is credited to. The operator sees every agent and gets the precise
   * reason; anyone else may name only an agent of the client's own distributor (which it cannot
   * otherwise see), and any other id reads as unknown, so it learns nothing about other tenants.
   */
  private async creditedAgent(tx: EntityManager, principal: Principal, foundById: string, clientParent: Party): Promise<Party> {
    const agent = await tx.findOne(Party, { id: foundById });
    const kinds = new Map<string, PartyKind>(
      (await tx.find(Party, { id: { $in: pathIds(clientParent.path) } }, { fields: ['id', 'kind'] })).map((p) => [p.id, p.kind]),
    );
    const distributorId = distributorIdOf(clientParent, kinds);
    const fits = agent?.kind === 'agent' && distributorId !== null && agent.parent?.id === distributorId;
    if (!agent || !(fits || this.tenancy.canSee(principal, agent))) throw DomainError.invalid('PARTY_INVALID_AGENT', 'foundById', 'does not exist');
    assertAgentFitsClient(treeNode(agent), treeNode(clientParent), kinds);
    if (agent.status === 'closed') throw DomainError.invalid('PARTY_INVALID_AGENT', 'foundById', 'is closed');
    return agent;
  }

  /**
   * Codes are unique everywhere. A partner's name and tax ID are unique among partners (as in
   * onboarding); a client's only among its reseller's clients, so a reseller learns nothing about
   * other resellers' clients, and one company may be a client of two resellers.
   */
  private async assertUnique(
    tx: EntityManager,
    p: { kind: PartyKind; parent: Party | null; name?: string; taxId?: string | null; code?: string; selfId?: string },
  ): Promise<void> {
    const scope: FilterQuery<Party> = p.kind === 'client' ? { kind: 'client', parent: p.parent } : { kind: { $ne: 'client' } };
    const notSelf: FilterQuery<Party> = p.selfId ? { id: { $ne: p.selfId } } : {};
    const among = p.kind === 'client' ? 'another client of this reseller' : 'another partner';
    const problems: FieldProblem[] = [];
    if (p.code !== undefined && (await tx.count(Party, { code: p.code }))) problems.push({ field: 'code', problem: 'is already used by another party' });
    if (p.name !== undefined && (await tx.count(Party, { $and: [scope, notSelf, { name: { $ilike: escapeLike(p.name) } }] })))
      problems.push({ field: 'name', problem: `is already used by ${among}` });
    if (p.taxId && (await tx.count(Party, { $and: [scope, notSelf, { taxId: p.taxId }] })))
      problems.push({ field: 'taxId', problem: `is already registered to ${among}` });
    if (problems.length) throw DomainError.conflict('PARTY_DUPLICATE', problems.map((f) => `${f.field} ${f.problem}`).join('; '), problems);
  }

  /** A readable, unique code from the name: "Acme MSP" → "acme-msp", then "acme-msp-2", … */
  private async deriveCode(tx: EntityManager, name: string, kind: PartyKind): Promise<string> {
    const base = slug(name) || kind;
    const candidates = [base, ...Array.from({ length: 8 }, (_, i) => `${base}-${i + 2}`)];
    const taken = new Set((await tx.find(Party, { code: { $in: candidates } }, { fields: ['code'] })).map((p) => p.code));
    return candidates.find((code) => !taken.has(code)) ?? `${base}-${randomUUID().slice(0, 8)}`;
  }
}

function invalid(problems: FieldProblem[]): DomainError {
  return new DomainError('PARTY_INVALID_INPUT', problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems, 'invalid');
}

function treeNode(party: Party): TreeNode {
  return { id: party.id, kind: party.kind, path: party.path, parentId: party.parent?.id ?? null };
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

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
