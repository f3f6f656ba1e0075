import { EntityManager } from '@mikro-orm/postgresql';
import { EffectiveDatePolicy } from '@wholesail/persistence';
import type { Harness } from './harness';

/** How far back a versioned write may reach now, as the running API's EffectiveDatePolicy decides it. */
export async function earliestAllowed(h: Harness): Promise<Date> {
  const policy = h.app.get(EffectiveDatePolicy);
  return (
    await h.app
      .get(EntityManager)
      .fork()
      .transactional((tx) => policy.earliestAllowed(tx, new Date()))
  ).at;
}
