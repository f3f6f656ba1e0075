import { DomainError } from '../errors';
import type { PartyKind } from './party';
import { isWithin, type Caller, type TenantNode } from './tenancy';

/**
 * Who may create which partners directly (the onboarding workflow is the other way in):
 * the operator anything below it; a distributor its own agents and resellers; a reseller clients
 * under itself or any of its sub-resellers, and sub-resellers directly under itself.
 */
const CREATABLE: Record<PartyKind, readonly PartyKind[]> = {
  operator: ['distributor', 'agent', 'reseller', 'client'],
  distributor: ['agent', 'reseller'],
  reseller: ['client', 'reseller'],
  agent: [],
  client: [],
};

export function creatableKinds(callerKind: PartyKind): readonly PartyKind[] {
  return CREATABLE[callerKind];
}

/** The caller's party kind may create this kind of party at all (checked before anything is looked up). */
export function assertMayCreateKind(caller: Pick<Caller, 'partyKind'>, kind: PartyKind): void {
  const allowed = CREATABLE[caller.partyKind];
  if (!allowed.includes(kind)) {
    const may = allowed.length ? `may create only: ${allowed.join(', ')}` : 'may not create parties';
    throw DomainError.forbidden('PARTY_CREATE_FORBIDDEN', `a ${caller.partyKind} ${may}`);
  }
}

/**
 * The caller may put a new `kind` party under `parent` (a parent it can see and of an allowed
 * kind, both checked before). Only the operator places partners anywhere below it.
 */
export function assertMayCreate(caller: Caller, kind: PartyKind, parent: TenantNode): void {
  assertMayCreateKind(caller, kind);
  if (caller.partyKind === 'operator') return;
  const underItself = parent.id === caller.partyId;
  if (caller.partyKind === 'reseller' && kind === 'client' && parent.kind === 'reseller' && isWithin(parent.path, caller.partyPath)) return;
  if (underItself) return;
  const where = caller.partyKind === 'reseller' && kind === 'client' ? 'under your reseller or one of its sub-resellers' : 'directly under your own party';
  throw DomainError.forbidden('PARTY_CREATE_FORBIDDEN', `a ${caller.partyKind} may create a ${kind} only ${where}`);
}
