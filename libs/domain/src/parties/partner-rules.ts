import { DomainError } from '../errors';
import type { PartyKind } from './party';

/** The minimum a rule needs to know about a party in the tree. */
export interface TreeNode {
  id: string;
  kind: PartyKind;
  path: string;
  parentId: string | null;
}

/** Ids on a materialised path, root first ("/a/b/c/" → ["a", "b", "c"]). */
export function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/**
 * The distributor a reseller or client earns for: the nearest distributor on its path, or null
 * when the chain was recruited directly by the operator.
 */
export function distributorIdOf(node: Pick<TreeNode, 'path'>, kindsById: ReadonlyMap<string, PartyKind>): string | null {
  return (
    pathIds(node.path)
      .reverse()
      .find((id) => kindsById.get(id) === 'distributor') ?? null
  );
}

/**
 * A client may be credited to an agent only when that agent works for the distributor of the
 * client's top-level reseller (DOMAIN.md: agents find clients for their distributor's resellers).
 */
export function assertAgentFitsClient(agent: TreeNode, clientParent: TreeNode, kindsById: ReadonlyMap<string, PartyKind>, field = 'foundById'): void {
  if (agent.kind !== 'agent') throw DomainError.invalid('PARTY_INVALID_AGENT', field, 'must be an agent');
  const distributorId = distributorIdOf(clientParent, kindsById);
  if (distributorId === null)
    throw DomainError.invalid('PARTY_INVALID_AGENT', field, 'this client’s reseller was recruited by the operator directly, so no agent can be credited');
  if (agent.parentId !== distributorId)
    throw DomainError.invalid('PARTY_INVALID_AGENT', field, 'the agent must belong to the distributor of the client’s top-level reseller');
}

/** Moving `node` under `newParent` must not put it below itself. */
export function assertNoCycle(node: TreeNode, newParent: TreeNode): void {
  if (newParent.id === node.id || newParent.path.startsWith(node.path)) {
    throw DomainError.invalid('PARTY_CYCLE', 'parentId', 'would put the reseller below itself (a cycle in the reseller chain)');
  }
}
