import type { Principal } from '@wholesail/auth';
import { DomainError, ProvisioningErrorCode, type Role } from '@wholesail/domain';
import type { Environment } from '@wholesail/persistence';

/** Roles that change a client's environment: its own reseller's architects and admins (and the operator's admins). */
export const ENVIRONMENT_WRITER_ROLES: Role[] = ['architect', 'reseller-admin'];

/**
 * Who reads environments beyond seeing the client (TenancyService): the operator, resellers (their
 * clients and their sub-resellers' clients) and the client's own users. Distributors and agents
 * see clients, never their environments.
 */
export function mayReadEnvironments(principal: Principal): boolean {
  return principal.partyKind === 'operator' || principal.partyKind === 'reseller' || principal.partyKind === 'client';
}

/** Deprovisioning: the client's own reseller (architect, admin) or an operator admin. */
export function assertMayChangeEnvironment(principal: Principal, env: Environment): void {
  if (principal.partyKind === 'operator' && principal.roles.includes('operator-admin')) return;
  const own = principal.partyKind === 'reseller' && principal.partyId === env.reseller.id;
  if (own && principal.roles.some((role) => ENVIRONMENT_WRITER_ROLES.includes(role))) return;
  throw DomainError.forbidden(
    ProvisioningErrorCode.Forbidden,
    "only the architects and admins of the client's own reseller, or an operator admin, may change its environment",
  );
}
