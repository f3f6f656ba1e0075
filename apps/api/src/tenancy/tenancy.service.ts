import { Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import type { Principal } from '@wholesail/auth';
import { canManage, canSee, canSeeDocument, DomainError, type Caller, type DocumentParties } from '@wholesail/domain';
import { subtreeFilter, type BillingDocument, type Party } from '@wholesail/persistence';

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
    if (caller.partyKind === 'agent') return { $or: [{ id: caller.partyId }, { kind: 'client', foundBy: caller.partyId }] };
    return subtreeFilter(caller.partyPath);
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

  canSee(principal: Principal, party: Party): boolean {
    return canSee(this.caller(principal), this.node(party));
  }

  /** Strictly below the caller's party (an admin above it). */
  canManage(principal: Principal, party: Party): boolean {
    return canManage(this.caller(principal), this.node(party));
  }

  /** Unknown and invisible parties both read as "not found", so ids of other tenants leak nothing. */
  assertCanSee(principal: Principal, party: Party | null, id: string): asserts party is Party {
    if (!party || !this.canSee(principal, party)) throw DomainError.notFound('PARTY_NOT_FOUND', `party ${id} does not exist or is not visible to you`);
  }

  assertCanManage(principal: Principal, party: Party): void {
    if (!this.canManage(principal, party)) throw DomainError.forbidden('TENANCY_FORBIDDEN', `you may not manage party ${party.id}`);
  }

  caller(principal: Principal): Caller {
    return { partyId: principal.partyId, partyKind: principal.partyKind, partyPath: principal.partyPath };
  }

  /** A party in the caller's place. */
  callerOf(party: Party): Caller {
    return { partyId: party.id, partyKind: party.kind, partyPath: party.path };
  }

  private node(party: Party) {
    return { id: party.id, kind: party.kind, path: party.path, foundById: party.foundBy?.id ?? null };
  }
}
