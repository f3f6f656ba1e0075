import { Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import type { Principal } from '@wholesail/auth';
import { canManage, canSee, DomainError } from '@wholesail/domain';
import type { Party } from '@wholesail/persistence';

/**
 * The single place that turns "who is calling" into "what they may touch". Reads get a filter
 * that the database applies; single-record access is checked with the same pure rules the
 * domain tests cover.
 */
@Injectable()
export class TenancyService {
  /** Parties the caller may see: its own, everything below it; an agent sees only its clients. */
  visiblePartiesFilter(principal: Principal): FilterQuery<Party> {
    if (principal.partyKind === 'agent') return { $or: [{ id: principal.partyId }, { kind: 'client', foundBy: principal.partyId }] };
    return { path: { $like: `${escapeLike(principal.partyPath)}%` } };
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

  caller(principal: Principal) {
    return { partyId: principal.partyId, partyKind: principal.partyKind, partyPath: principal.partyPath };
  }

  private node(party: Party) {
    return { id: party.id, kind: party.kind, path: party.path, foundById: party.foundBy?.id ?? null };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
