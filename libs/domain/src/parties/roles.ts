import type { PartyKind } from './party';

export const ROLES = ['operator-admin', 'operator-finance', 'distributor-admin', 'agent', 'reseller-admin', 'architect', 'client-user'] as const;
export type Role = (typeof ROLES)[number];

/** The kind of party a role belongs to: a user's roles must all match its party's kind. */
export const ROLE_PARTY_KIND: Record<Role, PartyKind> = {
  'operator-admin': 'operator',
  'operator-finance': 'operator',
  'distributor-admin': 'distributor',
  agent: 'agent',
  'reseller-admin': 'reseller',
  architect: 'reseller',
  'client-user': 'client',
};

/** Roles that administer their party (manage users, API keys, partners below). */
export const ADMIN_ROLES: readonly Role[] = ['operator-admin', 'distributor-admin', 'reseller-admin'];

/**
 * The role that administers a party of each kind: its API keys, and the admin user onboarding
 * creates. An agent is a person or a small firm with one role, `agent`, which is therefore its
 * admin. A client has no admin role: its users only follow what their reseller runs for them,
 * and its reseller acts for it, so nobody manages API keys of a client.
 */
export const PARTY_ADMIN_ROLE: Record<PartyKind, Role | undefined> = {
  operator: 'operator-admin',
  distributor: 'distributor-admin',
  reseller: 'reseller-admin',
  agent: 'agent',
  client: undefined,
};

export function isPartyAdmin(roles: readonly Role[], kind: PartyKind): boolean {
  const admin = PARTY_ADMIN_ROLE[kind];
  return admin !== undefined && roles.includes(admin);
}

export function rolesFitParty(roles: readonly Role[], kind: PartyKind): boolean {
  return roles.length > 0 && roles.every((role) => ROLE_PARTY_KIND[role] === kind);
}
