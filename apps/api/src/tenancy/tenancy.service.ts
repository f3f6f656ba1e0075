import { Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import type { Principal } from '@wholesail/auth';
import { canManage, canSee, canSeeDocument, DomainError, type Caller, type DocumentParties } from '@wholesail/domain';
import { subtreeFilter, subtreeSql, type BillingDocument, type Party, type SqlCondition } from '@wholesail/persistence';

/**
 * The single place that turns "who is calling" into "what they may touch". Reads get a filter
 * that the database applies; single-record access is checked with the same pure rules the
 * domain tests cover. Nothing else restates the rule, in a filter or in SQL: a query that needs
 * "the parties X sees" (roll-ups, other tables' owners) asks for this filter.
 */
@Injectable()
export class TenancyService {
  /** Parties the caller may see: its own, everything below it; an agent sees only its clients. */
  visiblePartiesFilter(principal: Principal): FilterQuery<Party> {
    return this.partiesVisibleTo(this.caller(principal));
  }

  /** The same rule for any party in the caller's place (e.g. what lies below a party, for its roll-up). */
  partiesVisibleTo(caller: Caller): FilterQuery<Party> {
    const scope = visibleScope(caller);
    if (scope.by === 'agent') return { $or: [{ id: scope.agentId }, { kind: 'client', foundBy: scope.agentId }] };
    return subtreeFilter(scope.path);
  }

  /**
   * The same rule as `partiesVisibleTo`, as a SQL condition on the party table aliased `alias`, for
   * the hot reads that skip the query builder (lists, roll-ups). The two renderings are checked
   * against each other on every seeded caller (test/integration/tenancy-sql.int-spec.ts).
   */
  visiblePartiesSql(caller: Caller, alias: string): SqlCondition {
    const scope = visibleScope(caller);
    if (scope.by === 'agent')
      return { sql: `(${alias}.id = ? or (${alias}.kind = 'client' and ${alias}.found_by_id = ?))`, params: [scope.agentId, scope.agentId] };
    return subtreeSql(scope.path, alias);
  }

  /**
   * Billing documents the caller may see (`canSeeDocument` in libs/domain, as a filter): the
   * operator all; a distributor or agent the payout documents it issued; a reseller what it or a
   * party below it issued or received; a client what it received. Drafts: the operator only.
   */
  visibleDocumentsFilter(principal: Principal): FilterQuery<BillingDocument> {
    const caller = this.caller(principal);
    const final = { status: 'final' as const };
    switch (caller.partyKind) {
      case 'operator':
        return {};
      case 'distributor':
      case 'agent':
        return { ...final, issuer: caller.partyId, kind: { $in: ['payout-invoice', 'credit-note'] } };
      case 'reseller':
        return { ...final, $or: [{ issuer: subtreeFilter(caller.partyPath) }, { recipient: subtreeFilter(caller.partyPath) }] };
      case 'client':
        return { ...final, recipient: caller.partyId };
    }
  }

  canSeeDocument(principal: Principal, document: DocumentParties): boolean {
    return canSeeDocument(this.caller(principal), document);
  }

  canSee(principal: Principal, party: PartyNode): boolean {
    return canSee(this.caller(principal), this.node(party));
  }

  /** Strictly below the caller's party (an admin above it). */
  canManage(principal: Principal, party: Party): boolean {
    return canManage(this.caller(principal), this.node(party));
  }

  /** Unknown and invisible parties both read as "not found", so ids of other tenants leak nothing. */
  assertCanSee<P extends PartyNode>(principal: Principal, party: P | null, id: string): asserts party is P {
    if (!party || !this.canSee(principal, party)) throw DomainError.notFound('PARTY_NOT_FOUND', `party ${id} does not exist or is not visible to you`);
  }

  assertCanManage(principal: Principal, party: Party): void {
    if (!this.canManage(principal, party)) throw DomainError.forbidden('TENANCY_FORBIDDEN', `you may not manage party ${party.id}`);
  }

  caller(principal: Principal): Caller {
    return { partyId: principal.partyId, partyKind: principal.partyKind, partyPath: principal.partyPath };
  }

  /** A party in the caller's place. */
  callerOf(party: Pick<Party, 'id' | 'kind' | 'path'>): Caller {
    return { partyId: party.id, partyKind: party.kind, partyPath: party.path };
  }

  private node(party: PartyNode) {
    return { id: party.id, kind: party.kind, path: party.path, foundById: party.foundBy?.id ?? null };
  }
}

/** What the visibility rules read of a party: an entity, or a row read without hydrating one. */
export type PartyNode = Pick<Party, 'id' | 'kind' | 'path'> & { foundBy?: { id: string } | null };

/**
 * Which parties a caller sees, decided once for both renderings (filter and SQL): an agent, itself
 * and the clients it found; anyone else, its subtree. The pure `canSee` (libs/domain) is the same
 * rule for one record.
 */
function visibleScope(caller: Caller): { by: 'agent'; agentId: string } | { by: 'subtree'; path: string } {
  return caller.partyKind === 'agent' ? { by: 'agent', agentId: caller.partyId } : { by: 'subtree', path: caller.partyPath };
}
