import type { PartyKind } from './party';

/**
 * Tenancy is a security boundary. Every party stores a materialised path of its ancestors' ids
 * ("/operator/distributor/reseller/"), ending with its own id. A caller sees its own party and
 * everything whose path starts with the caller's path — never a sibling's subtree.
 *
 * Agents are the exception: they sit under their distributor but see only themselves and the
 * clients credited to them (`foundBy`), not the rest of the distributor's tree.
 */
export interface TenantNode {
  id: string;
  kind: PartyKind;
  path: string;
  foundById?: string | null;
}

export interface Caller {
  partyId: string;
  partyKind: PartyKind;
  partyPath: string;
}

export function childPath(parentPath: string | null, id: string): string {
  return `${parentPath ?? '/'}${id}/`;
}

export function isWithin(path: string, ancestorPath: string): boolean {
  return path.startsWith(ancestorPath);
}

export function canSee(caller: Caller, target: TenantNode): boolean {
  if (target.id === caller.partyId) return true;
  if (caller.partyKind === 'agent') return target.kind === 'client' && target.foundById === caller.partyId;
  return isWithin(target.path, caller.partyPath);
}

/** Strictly below: the caller may manage it (change its status, its users), not itself. */
export function canManage(caller: Caller, target: TenantNode): boolean {
  return target.id !== caller.partyId && caller.partyKind !== 'agent' && caller.partyKind !== 'client' && isWithin(target.path, caller.partyPath);
}
