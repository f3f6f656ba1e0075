import type { EntityManager } from '@mikro-orm/postgresql';

/** Arbitrary, fixed advisory-lock key for the finalised billing periods ("WSBP"). */
export const BILLING_PERIOD_LOCK_KEY = 0x57534250;

/**
 * Serialises finalising a billing period with the versioned writes that must stay out of it. Every
 * versioned write takes the lock `shared` (through EffectiveDatePolicy) before it reads how far back
 * it may reach, so writes run in parallel; finalising takes it `exclusive`. A write therefore either
 * commits before the period is finalised (and the run sees it), or reads the new bound after the
 * finalisation committed and is refused: it never slips into a finalised period. Released at commit
 * or rollback, so it must be taken inside the writer's transaction.
 */
export async function lockBillingPeriods(em: EntityManager, mode: 'shared' | 'exclusive'): Promise<void> {
  await em.execute(mode === 'shared' ? 'select pg_advisory_xact_lock_shared(?)' : 'select pg_advisory_xact_lock(?)', [BILLING_PERIOD_LOCK_KEY]);
}
