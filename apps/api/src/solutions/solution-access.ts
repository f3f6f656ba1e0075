import type { Principal } from '@wholesail/auth';
import { DesignErrorCode, DomainError, type Role } from '@wholesail/domain';
import type { Party } from '@wholesail/persistence';

/** Roles that write designs: the client's own reseller's architects and admins. */
export const DESIGN_WRITER_ROLES: Role[] = ['architect', 'reseller-admin'];

/**
 * Who reads designs beyond seeing the client (TenancyService): the operator, resellers (their own
 * clients and their sub-resellers' clients) and the client's own users. Distributors and agents
 * see clients, never their designs.
 */
export function mayReadDesigns(principal: Principal): boolean {
  return principal.partyKind === 'operator' || principal.partyKind === 'reseller' || principal.partyKind === 'client';
}

/** Writes are for the client's own reseller: an architect or its admin. A reseller above it, the operator and the client read only. */
export function assertMayWriteDesigns(principal: Principal, client: Party): void {
  const own = principal.partyKind === 'reseller' && principal.partyId === client.parent?.id;
  if (own && principal.roles.some((role) => DESIGN_WRITER_ROLES.includes(role))) return;
  throw DomainError.forbidden(DesignErrorCode.Forbidden, `only the architects and admins of the client's own reseller may change its solutions`);
}
