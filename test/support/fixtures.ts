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
  em.persist(party);
  await em.flush();
  const adminEmail = await addUser(h, party.id, props.role, `admin-${tag}`);
  return { party, adminEmail };
}

/** Another active user of a party (password FIXTURE_PASSWORD), e.g. an architect beside a reseller's admin; returns its e-mail. */
export async function addUser(h: Harness, partyId: string, role: Role, name = `${role}-${randomUUID().slice(0, 8)}`): Promise<string> {
  const em = h.app.get(EntityManager).fork();
  const party = await em.findOneOrFail(Party, { id: partyId });
  const email = `${name}@fixture.test`;
  em.persist(
    em.create(User, {
      email,
      displayName: name,
      party,
      roles: [role],
      passwordHash: await hashPassword(FIXTURE_PASSWORD),
      status: 'active',
    }),
  );
  await em.flush();
  return email;
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
