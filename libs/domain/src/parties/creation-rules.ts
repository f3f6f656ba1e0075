import { DomainError, type FieldProblem } from '../errors';
import type { PartyKind } from './party';
import { PartyErrorCode } from './party-errors';
import { taxIdProblems } from './tax-id';
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

/** The longest party name (the column's length). */
export const MAX_PARTY_NAME_LENGTH = 200;

export interface PartyInput {
  name?: string;
  taxId?: string | null;
  branding?: unknown;
  foundById?: string | null;
  /** A client's customer-since date (its value is checked by `assertActiveSince`). */
  activeSince?: unknown;
}

/**
 * A new or changed party's own fields, before anything is looked up: a name, a well-formed tax ID,
 * branding only for a reseller, an agent's credit only for a client. Every problem at once.
 */
export function partyInputProblems(kind: PartyKind, input: PartyInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.name !== undefined && !input.name.trim()) problems.push({ field: 'name', problem: 'is required' });
  if (input.name !== undefined && input.name.length > MAX_PARTY_NAME_LENGTH)
    problems.push({ field: 'name', problem: `must be at most ${MAX_PARTY_NAME_LENGTH} characters` });
  if (input.foundById != null && kind !== 'client') problems.push({ field: 'foundById', problem: 'only a client can be credited to an agent' });
  if (input.activeSince != null && kind !== 'client') problems.push({ field: 'activeSince', problem: 'only a client has a customer-since date' });
  if (input.branding !== undefined && kind !== 'reseller') problems.push({ field: 'branding', problem: 'only resellers have branding' });
  if (input.taxId != null) problems.push(...taxIdProblems(input.taxId));
  return problems;
}

export function assertPartyInput(kind: PartyKind, input: PartyInput): void {
  const problems = partyInputProblems(kind, input);
  if (problems.length) throw new DomainError(PartyErrorCode.InvalidInput, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems, 'invalid');
}
