import { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import type { PartyKind, Role } from '@wholesail/domain';
import { Party, User } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import type { Harness } from './harness';

export const FIXTURE_PASSWORD = 'fixture-password-1';

/**
 * A party of its own for a test, with an admin user, written straight to the database: e2e files
 * run in parallel on one database, so a test that adds partners below a party must not use a seeded
 * party whose counts another file asserts.
 */
export async function createPartner(
  h: Harness,
  props: { kind: PartyKind; parentId: string; role: Role; name?: string },
): Promise<{ party: Party; adminEmail: string }> {
  const em = h.app.get(EntityManager).fork();
  const parent = await em.findOneOrFail(Party, { id: props.parentId });
  const tag = randomUUID().slice(0, 8);
  const party = Party.create({ kind: props.kind, name: props.name ?? `Fixture ${props.kind} ${tag}`, code: `fixture-${props.kind}-${tag}`, parent });
  const adminEmail = `admin-${tag}@fixture.test`;
  em.persist(party);
  em.persist(
    em.create(User, {
      email: adminEmail,
      displayName: `Admin ${tag}`,
      party,
      roles: [props.role],
      passwordHash: await hashPassword(FIXTURE_PASSWORD),
      status: 'active',
    }),
  );
  await em.flush();
  return { party, adminEmail };
}

/**
 * A channel of its own, below the operator: a distributor, a reseller it recruited and a client of
 * that reseller, each with its admin user (the client's is a client-user).
 */
export async function createClientChannel(h: Harness): Promise<Record<'distributor' | 'reseller' | 'client', { party: Party; adminEmail: string }>> {
  const operator = await h.app.get(EntityManager).fork().findOneOrFail(Party, { kind: 'operator' });
  const distributor = await createPartner(h, { kind: 'distributor', parentId: operator.id, role: 'distributor-admin' });
  const reseller = await createPartner(h, { kind: 'reseller', parentId: distributor.party.id, role: 'reseller-admin' });
  const client = await createPartner(h, { kind: 'client', parentId: reseller.party.id, role: 'client-user' });
  return { distributor, reseller, client };
}
