import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import {
  assertActiveSince,
  assertActiveSinceChange,
  assertAgentFitsClient,
  assertParentKind,
  assertPartyInput,
  codeCandidates,
  CreditErrorCode,
  distributorIdOf,
  DomainError,
  normalizeTaxId,
  parseInstant,
  PartyErrorCode,
  pathIds,
  type Instant,
  type FieldProblem,
  type PartyKind,
  type TreeNode,
} from '@wholesail/domain';
import { ClientAgentCredit, EffectiveDatePolicy, likeExactly, lockPartyTree, Party, ResellerAssignment, type PartyBranding } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { PARTY_UNIQUE_INDEXES, partyDuplicate, violatedRule } from './party-constraints';

/** A new party as its writer receives it: looked up and authorised by the caller. */
export interface NewParty {
  kind: PartyKind;
  name: string;
  /** Derived from the name when omitted ("acme-msp", "acme-msp-2", …). */
  code?: string;
  parent: Party;
  /** Clients only: the agent credited with finding it, from `activeSince` on. */
  foundBy?: Party;
  /** Clients only: customer since, from 1970 up to now (moved from another platform); default: the creation instant. */
  activeSince?: Instant;
  billingEmail: string;
  notificationEmail?: string | null;
  taxId?: string | null;
  /** Resellers only; `undefined` when not given. */
  branding?: PartyBranding | null;
}

/** A change to a party's contacts, identity or brand; `undefined` leaves a field as it is. */
export interface PartyChanges {
  name?: string;
  taxId?: string | null;
  billingEmail?: string;
  notificationEmail?: string | null;
  branding?: PartyBranding | null;
  /** Clients only, by an admin above the client: while no finalised billing period depends on it (see assertActiveSinceChange). */
  activeSince?: Instant;
}

/** What makes a party unique: its code everywhere; its name and tax ID within its scope (see PARTY_UNIQUE_INDEXES). */
export interface PartyIdentity {
  kind: PartyKind;
  /** The parent: a client's scope is its reseller's clients. */
  parentId: string | null;
  name?: string;
  taxId?: string | null;
  code?: string;
  /** The party itself, when it is being changed. */
  selfId?: string;
}

/** A derived code taken by a concurrent creation is derived again, this many times at most. */
const CODE_ATTEMPTS = 3;

/**
 * The one writer of parties: the API's direct administration and onboarding's provisioning both
 * create and change parties here, with one code rule, one uniqueness rule and one set of checks.
 * Authorisation (who may create what, where) is the caller's; this writer checks what makes a
 * party valid whoever asks. Every method runs inside the caller's transaction (`tx`).
 */
@Injectable()
export class PartyWriter {
  constructor(private readonly policy: EffectiveDatePolicy) {}

  /**
   * Creates a party, with the history billing reads from its start: a client's agent credit (to
   * its agent or to none) from its `activeSince`; a top-level reseller's distributor assignment
   * from the start of the earliest billing period still open to changes (EffectiveDatePolicy), so
   * that a move within that period can be entered when going live. The database decides
   * uniqueness: a concurrent creation of the same name or tax ID loses with a 409 PARTY_DUPLICATE
   * naming the field, however the two interleave.
   */
  async create(tx: EntityManager, input: NewParty): Promise<Party> {
    const now = new Date();
    assertPartyInput(input.kind, {
      name: input.name,
      taxId: input.taxId,
      branding: input.branding,
      foundById: input.foundBy?.id,
      activeSince: input.activeSince,
    });
    const activeSince = input.activeSince !== undefined ? parseInstant(input.activeSince, 'activeSince', PartyErrorCode.InvalidActiveSince) : now;
    if (input.kind === 'client') assertActiveSince(activeSince, now);
    assertParentKind(input.kind, input.parent.kind);
    if (input.parent.status === 'closed') throw DomainError.invalid(PartyErrorCode.InvalidParent, 'parentId', 'is closed');
    if (input.foundBy) {
      assertAgentFitsClient(treeNode(input.foundBy), treeNode(input.parent), await kindsOnPath(tx, input.parent.path));
      if (input.foundBy.status === 'closed') throw DomainError.invalid(PartyErrorCode.InvalidAgent, 'foundById', 'is closed');
    }

    // Shared: creations run in parallel, but never while a move rewrites paths (see lockPartyTree).
    await lockPartyTree(tx, 'shared');
    const topLevelReseller = input.kind === 'reseller' && input.parent.kind !== 'reseller';
    const assignedFrom = topLevelReseller ? (await this.policy.earliestAllowed(tx, now)).at : null;
    const taxId = input.taxId != null ? normalizeTaxId(input.taxId) : null;
    const identity: PartyIdentity = { kind: input.kind, parentId: input.parent.id, name: input.name, taxId, code: input.code };
    await this.assertUnique(tx, identity);
    // The insert runs in a savepoint, so that a refused one leaves the caller's transaction usable
    // (to word the refusal, or to derive another code); the caller's pending changes go first.
    await tx.flush();
    for (let attempt = 1; ; attempt++) {
      const code = input.code ?? (await this.freeCode(tx, input.name, input.kind));
      try {
        return await tx.transactional(async (sp) => {
          const party = Party.create({
            kind: input.kind,
            name: input.name,
            code,
            parent: input.parent,
            foundBy: input.foundBy ?? null,
            activeSince,
            billingEmail: input.billingEmail,
            taxId,
          });
          party.createdAt = now;
          party.notificationEmail = input.notificationEmail ?? null;
          party.branding = input.kind === 'reseller' ? (input.branding ?? null) : null;
          sp.persist(party);
          // A top-level reseller earns for its distributor (or the operator) from the start of the open period on.
          if (assignedFrom) {
            const distributor = input.parent.kind === 'distributor' ? input.parent : null;
            sp.persist(sp.create(ResellerAssignment, { reseller: party, distributor, effectiveFrom: assignedFrom }));
          }
          // A client's credit history starts when it became a customer.
          if (input.kind === 'client') sp.persist(sp.create(ClientAgentCredit, { client: party, agent: input.foundBy ?? null, effectiveFrom: activeSince }));
          await sp.flush();
          return party;
        });
      } catch (error) {
        const rule = violatedRule(error, PARTY_UNIQUE_INDEXES);
        if (!rule) throw error;
        // A concurrent creation committed first: name what it took, in the pre-check's words.
        await this.assertUnique(tx, identity);
        if (rule.field === 'code' && input.code === undefined && attempt < CODE_ATTEMPTS) continue;
        throw partyDuplicate([rule]);
      }
    }
  }

  /** Changes a party's contacts, identity, brand or (a client's) activeSince; who may change what is the caller's. */
  async update(tx: EntityManager, party: Party, changes: PartyChanges): Promise<void> {
    assertPartyInput(party.kind, { name: changes.name, taxId: changes.taxId, branding: changes.branding, activeSince: changes.activeSince });
    if (changes.activeSince !== undefined)
      await this.changeActiveSince(tx, party, parseInstant(changes.activeSince, 'activeSince', PartyErrorCode.InvalidActiveSince));
    const taxId = changes.taxId != null ? normalizeTaxId(changes.taxId) : changes.taxId;
    await this.assertUnique(tx, { kind: party.kind, parentId: party.parent?.id ?? null, name: changes.name, taxId, selfId: party.id });
    if (changes.name !== undefined) party.name = changes.name;
    if (changes.billingEmail !== undefined) party.billingEmail = changes.billingEmail;
    if (changes.notificationEmail !== undefined) party.notificationEmail = changes.notificationEmail;
    if (taxId !== undefined) party.taxId = taxId;
    if (changes.branding !== undefined) party.branding = changes.branding;
    try {
      await tx.flush();
    } catch (error) {
      const rule = violatedRule(error, PARTY_UNIQUE_INDEXES);
      throw rule ? partyDuplicate([rule]) : error;
    }
  }

  /**
   * What of `identity` is taken already: a code anywhere; a partner's name (in any case) or tax ID
   * among partners; a client's among the clients of the same reseller only, so that nobody learns
   * of another reseller's clients (and one company may be a client of two resellers). The
   * constraints decide; this words the refusal before writing (and for onboarding's checks).
   */
  async duplicates(em: EntityManager, identity: PartyIdentity): Promise<FieldProblem[]> {
    const client = identity.kind === 'client';
    const scope: FilterQuery<Party> = client ? { kind: 'client', parent: identity.parentId } : { kind: { $ne: 'client' } };
    const notSelf: FilterQuery<Party> = identity.selfId ? { id: { $ne: identity.selfId } } : {};
    const problems: FieldProblem[] = [];
    if (identity.code !== undefined && (await em.count(Party, { $and: [notSelf, { code: identity.code }] })))
      problems.push(PARTY_UNIQUE_INDEXES.party_code_unique);
    if (identity.name !== undefined && (await em.count(Party, { $and: [scope, notSelf, { name: { $ilike: likeExactly(identity.name) } }] })))
      problems.push(client ? PARTY_UNIQUE_INDEXES.party_client_name_unique : PARTY_UNIQUE_INDEXES.party_partner_name_unique);
    if (identity.taxId && (await em.count(Party, { $and: [scope, notSelf, { taxId: identity.taxId }] })))
      problems.push(client ? PARTY_UNIQUE_INDEXES.party_client_tax_id_unique : PARTY_UNIQUE_INDEXES.party_partner_tax_id_unique);
    return problems;
  }

  /**
   * True when `agent` works for the distributor of the client's top-level reseller: the one agent a
   * reseller may credit a client to without seeing it (it reads any other as unknown).
   */
  async isAgentOfClientsDistributor(em: EntityManager, agent: Party, clientParent: Party): Promise<boolean> {
    const distributorId = distributorIdOf(clientParent, await kindsOnPath(em, clientParent.path));
    return agent.kind === 'agent' && distributorId !== null && agent.parent?.id === distributorId;
  }

  /**
   * A client's customer-since date, while no finalised billing period depends on it. Its credit
   * history starts when it became a customer, so the first span moves with it (both dates lie
   * after every finalised period, so no finalised cut changes).
   */
  private async changeActiveSince(tx: EntityManager, client: Party, next: Date): Promise<void> {
    const current = client.activeSince!;
    assertActiveSinceChange(current, next, new Date(), await this.policy.finalisedUntil(tx));
    if (next.getTime() === current.getTime()) return;
    const first = await tx.findOne(ClientAgentCredit, { client }, { orderBy: { effectiveFrom: 'asc' } });
    if (first && first.effectiveFrom.getTime() === current.getTime()) {
      if (first.effectiveTo && first.effectiveTo.getTime() <= next.getTime()) {
        const problem = `must be before ${first.effectiveTo.toISOString()}, when the client was re-credited: its first agent credit starts when it became a customer`;
        throw DomainError.conflict(CreditErrorCode.Overlap, `activeSince ${problem}`, [{ field: 'activeSince', problem }]);
      }
      first.effectiveFrom = next;
    }
    client.activeSince = next;
  }

  private async assertUnique(em: EntityManager, identity: PartyIdentity): Promise<void> {
    const problems = await this.duplicates(em, identity);
    if (problems.length) throw partyDuplicate(problems);
  }

  /** The first code of the name that no party has; the database still decides (see create). */
  private async freeCode(em: EntityManager, name: string, kind: PartyKind): Promise<string> {
    const candidates = codeCandidates(name, kind);
    const taken = new Set((await em.find(Party, { code: { $in: candidates } }, { fields: ['code'] })).map((p) => p.code));
    return candidates.find((code) => !taken.has(code)) ?? `${candidates[0]}-${randomUUID().slice(0, 8)}`;
  }
}

/** The kind of every party on a materialised path (for the rules that walk a chain). */
export async function kindsOnPath(em: EntityManager, path: string): Promise<Map<string, PartyKind>> {
  const parties = await em.find(Party, { id: { $in: pathIds(path) } }, { fields: ['id', 'kind'] });
  return new Map(parties.map((p) => [p.id, p.kind]));
}

export function treeNode(party: Party): TreeNode {
  return { id: party.id, kind: party.kind, path: party.path, parentId: party.parent?.id ?? null };
}

/** The party with its row locked for this transaction and its fields read afresh. */
export async function lockedParty(tx: EntityManager, party: Party): Promise<Party> {
  return tx.findOneOrFail(Party, { id: party.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}
