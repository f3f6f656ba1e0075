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

export function rolesFitParty(roles: readonly Role[], kind: PartyKind): boolean {
  return roles.length > 0 && roles.every((role) => ROLE_PARTY_KIND[role] === kind);
}
