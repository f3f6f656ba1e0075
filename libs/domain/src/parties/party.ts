import { DomainError } from '../errors';

export const PARTY_KINDS = ['operator', 'distributor', 'agent', 'reseller', 'client'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const PARTY_STATUSES = ['applied', 'active', 'suspended', 'closed'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];

/** Which kinds of party may sit directly above each kind in the tenancy tree. */
const ALLOWED_PARENTS: Record<PartyKind, readonly PartyKind[]> = {
  operator: [],
  distributor: ['operator'],
  agent: ['distributor'],
  reseller: ['operator', 'distributor', 'reseller'],
  client: ['reseller'],
};

export function allowedParentKinds(kind: PartyKind): readonly PartyKind[] {
  return ALLOWED_PARENTS[kind];
}

export function assertParentKind(kind: PartyKind, parentKind: PartyKind | undefined): void {
  const allowed = ALLOWED_PARENTS[kind];
  if (allowed.length === 0) {
    if (parentKind !== undefined) throw DomainError.invalid('PARTY_INVALID_PARENT', 'parentId', `must be empty for an ${kind}`);
    return;
  }
  if (parentKind === undefined) throw DomainError.invalid('PARTY_INVALID_PARENT', 'parentId', `is required for a ${kind}`);
  if (!allowed.includes(parentKind)) {
    throw DomainError.invalid('PARTY_INVALID_PARENT', 'parentId', `a ${kind} cannot belong to a ${parentKind} (allowed: ${allowed.join(', ')})`);
  }
}

/**
 * Status life cycle: applied → active ⇄ suspended; any non-closed status → closed (terminal).
 * Re-applying the current status is allowed and is a no-op, so retries stay idempotent.
 */
const TRANSITIONS: Record<PartyStatus, readonly PartyStatus[]> = {
  applied: ['active', 'closed'],
  active: ['suspended', 'closed'],
  suspended: ['active', 'closed'],
  closed: [],
};

export function canTransition(from: PartyStatus, to: PartyStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function assertTransition(from: PartyStatus, to: PartyStatus): void {
  if (!canTransition(from, to)) {
    throw DomainError.conflict('PARTY_INVALID_TRANSITION', `a party cannot go from ${from} to ${to}`, [
      { field: 'status', problem: `cannot change from ${from} to ${to}` },
    ]);
  }
}
