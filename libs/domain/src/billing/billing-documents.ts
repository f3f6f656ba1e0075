import type { PartyKind } from '../parties/party';
import { isWithin, type Caller } from '../parties/tenancy';

/**
 * Rules of billing documents that are not arithmetic: how a number reads, and who may see a
 * document. The shapes are in libs/contracts (billing-document.contract.ts).
 */
export type DocumentSeries = 'invoice' | 'payout' | 'credit-note';

const SERIES_PREFIX: Record<DocumentSeries, string> = { invoice: 'INV', payout: 'PAY', 'credit-note': 'CN' };

/** "ACME-MSP-INV-000042": the issuer's code, the series, and the place in it (gap-free per issuer and series). */
export function documentNumber(issuerCode: string, series: DocumentSeries, sequence: number): string {
  return `${issuerCode.toUpperCase()}-${SERIES_PREFIX[series]}-${String(sequence).padStart(6, '0')}`;
}

export interface DocumentParties {
  kind: 'client-invoice' | 'wholesale-invoice' | 'payout-invoice' | 'credit-note';
  status: 'draft' | 'final';
  issuer: { id: string; kind: PartyKind; path: string };
  recipient: { id: string; kind: PartyKind; path: string };
}

/**
 * Who sees a billing document (tenancy applied to documents):
 * - the operator: every document;
 * - a distributor or an agent: the payout invoices it issued (its statements), nothing else — a
 *   client or wholesale invoice under its resellers would show the resellers' prices and margins;
 * - a reseller: documents it issued or received, and those of the resellers and clients below it
 *   (a parent reseller reads its sub-resellers' books already), never one from above to a sibling;
 * - a client: the invoices (and credit notes) addressed to it.
 *
 * Drafts are the operator's until finance approves the run: every other party sees final documents only.
 */
export function canSeeDocument(viewer: Caller, doc: DocumentParties): boolean {
  if (viewer.partyKind !== 'operator' && doc.status !== 'final') return false;
  switch (viewer.partyKind) {
    case 'operator':
      return true;
    case 'distributor':
    case 'agent':
      return doc.kind !== 'client-invoice' && doc.kind !== 'wholesale-invoice' && doc.issuer.id === viewer.partyId;
    case 'reseller':
      return isWithin(doc.issuer.path, viewer.partyPath) || isWithin(doc.recipient.path, viewer.partyPath);
    case 'client':
      return doc.recipient.id === viewer.partyId;
  }
}

/**
 * What of a priced line's tiers a viewer may see: the operator everything (wholesale included); a
 * reseller in the line's chain its own tier (its cost, its price, its margin) and those below it,
 * never a price above its own cost; a client only its own price; a distributor or an agent the
 * wholesale (what its cut is a share of) and no tier at all. `resellerIds` runs from the top-level
 * reseller down to the client's.
 */
export interface PriceVisibility {
  wholesale: boolean;
  /** Index of the first tier shown (resellerIds.length: none). */
  fromTier: number;
  clientPrice: boolean;
}

export function priceVisibility(viewer: Caller, resellerIds: readonly string[]): PriceVisibility {
  switch (viewer.partyKind) {
    case 'operator':
      return { wholesale: true, fromTier: 0, clientPrice: true };
    case 'distributor':
    case 'agent':
      return { wholesale: true, fromTier: resellerIds.length, clientPrice: false };
    case 'reseller': {
      const depth = resellerIds.indexOf(viewer.partyId);
      return depth < 0 ? { wholesale: false, fromTier: resellerIds.length, clientPrice: false } : { wholesale: false, fromTier: depth, clientPrice: true };
    }
    case 'client':
      return { wholesale: false, fromTier: resellerIds.length, clientPrice: true };
  }
}
