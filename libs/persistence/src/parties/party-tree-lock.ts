import type { EntityManager } from '@mikro-orm/postgresql';

/** Arbitrary, fixed advisory-lock key for the shape of the party tree ("WSPT"). */
export const PARTY_TREE_LOCK_KEY = 0x57535054;

/**
 * Serialises changes to the shape of the party tree for the current transaction. A move rewrites
 * the materialised paths of a whole subtree in one UPDATE, whose snapshot would miss a child
 * inserted concurrently under the old path; so whoever inserts a party takes the lock `shared`
 * (inserts still run in parallel) and a move takes it `exclusive`. Released at commit or rollback.
 */
export async function lockPartyTree(em: EntityManager, mode: 'shared' | 'exclusive'): Promise<void> {
  await em.execute(mode === 'shared' ? 'select pg_advisory_xact_lock_shared(?)' : 'select pg_advisory_xact_lock(?)', [PARTY_TREE_LOCK_KEY]);
}
