import type { Principal } from '@wholesail/auth';
import { DomainError, PricingErrorCode } from '@wholesail/domain';
import type { Party } from '@wholesail/persistence';

/**
 * Who may change prices, beyond seeing the party (TenancyService): a reseller's books only by the
 * reseller itself or the operator (a parent reseller may read its sub-reseller's books, not change
 * them); a client's overrides only by the client's own reseller or the operator.
 */
export function assertMayEditPriceBooks(principal: Principal, reseller: Party): void {
  if (principal.partyKind === 'operator' || (principal.partyKind === 'reseller' && principal.partyId === reseller.id)) return;
  throw DomainError.forbidden('PRICE_BOOK_FORBIDDEN', `only the reseller itself or the operator may change the price books of ${reseller.id}`);
}

export function assertMayEditClientOverrides(principal: Principal, client: Party): void {
  if (principal.partyKind === 'operator' || (principal.partyKind === 'reseller' && principal.partyId === client.parent?.id)) return;
  throw DomainError.forbidden('CLIENT_OVERRIDE_FORBIDDEN', `only the client's own reseller or the operator may set the prices of client ${client.id}`);
}

export function assertKind(party: Party, kind: 'reseller' | 'client', field: string): void {
  if (party.kind !== kind)
    throw DomainError.invalid(kind === 'reseller' ? PricingErrorCode.NotAReseller : PricingErrorCode.NotAClient, field, `is not a ${kind}`);
}
