import type { Caller } from '../parties/tenancy';
import { canSeeDocument, documentNumber, priceVisibility, type DocumentParties } from './billing-documents';

/**
 *   operator /o/ ─ D /o/d/ ─ A (agent) /o/d/a/
 *                        └ R /o/d/r/ ─ S /o/d/r/s/ ─ C2 /o/d/r/s/c2/
 *                                   └ C1 /o/d/r/c1/
 *               ─ X /o/x/ (another reseller) ─ CX /o/x/cx/
 */
const caller = (partyId: string, partyKind: Caller['partyKind'], partyPath: string): Caller => ({ partyId, partyKind, partyPath });
const OP = caller('o', 'operator', '/o/');
const D = caller('d', 'distributor', '/o/d/');
const A = caller('a', 'agent', '/o/d/a/');
const R = caller('r', 'reseller', '/o/d/r/');
const S = caller('s', 'reseller', '/o/d/r/s/');
const X = caller('x', 'reseller', '/o/x/');
const C1 = caller('c1', 'client', '/o/d/r/c1/');
const node = (c: Caller) => ({ id: c.partyId, kind: c.partyKind, path: c.partyPath });

const doc = (kind: DocumentParties['kind'], issuer: Caller, recipient: Caller, status: DocumentParties['status'] = 'final'): DocumentParties => ({
  kind,
  status,
  issuer: node(issuer),
  recipient: node(recipient),
});

describe('billing documents', () => {
  it('number gap-free series per issuer as CODE-SERIES-000042', () => {
    expect(documentNumber('acme-msp', 'invoice', 42)).toBe('ACME-MSP-INV-000042');
    expect(documentNumber('dist-northwind', 'payout', 1)).toBe('DIST-NORTHWIND-PAY-000001');
    expect(documentNumber('acme-msp', 'credit-note', 1234567)).toBe('ACME-MSP-CN-1234567');
  });

  it('are seen by their parties and those above them, never by a sibling, and drafts by the operator only', () => {
    const wholesaleToR = doc('wholesale-invoice', OP, R);
    const rToS = doc('wholesale-invoice', R, S);
    const sToC2 = doc('client-invoice', S, caller('c2', 'client', '/o/d/r/s/c2/'));
    const rToC1 = doc('client-invoice', R, C1);
    const payoutD = doc('payout-invoice', D, OP);
    const payoutA = doc('payout-invoice', A, OP);
    const seen = (viewer: Caller) => [wholesaleToR, rToS, sToC2, rToC1, payoutD, payoutA].map((d) => canSeeDocument(viewer, d));
    expect(seen(OP)).toEqual([true, true, true, true, true, true]);
    // A distributor sees its own statement only: invoices under it would show its resellers' prices.
    expect(seen(D)).toEqual([false, false, false, false, true, false]);
    expect(seen(A)).toEqual([false, false, false, false, false, true]);
    expect(seen(R)).toEqual([true, true, true, true, false, false]);
    // A sub-reseller: what it buys and sells, not what its parent pays the operator.
    expect(seen(S)).toEqual([false, true, true, false, false, false]);
    expect(seen(X)).toEqual([false, false, false, false, false, false]);
    expect(seen(C1)).toEqual([false, false, false, true, false, false]);
    expect(canSeeDocument(R, doc('client-invoice', R, C1, 'draft'))).toBe(false);
    expect(canSeeDocument(OP, doc('client-invoice', R, C1, 'draft'))).toBe(true);
  });

  it('show each viewer only the tiers of a price it may see', () => {
    const chain = ['r', 's'];
    expect(priceVisibility(OP, chain)).toEqual({ wholesale: true, fromTier: 0, clientPrice: true });
    expect(priceVisibility(D, chain)).toEqual({ wholesale: true, fromTier: 2, clientPrice: false });
    expect(priceVisibility(R, chain)).toEqual({ wholesale: false, fromTier: 0, clientPrice: true });
    expect(priceVisibility(S, chain)).toEqual({ wholesale: false, fromTier: 1, clientPrice: true });
    expect(priceVisibility(X, chain)).toEqual({ wholesale: false, fromTier: 2, clientPrice: false });
    expect(priceVisibility(C1, chain)).toEqual({ wholesale: false, fromTier: 2, clientPrice: true });
  });
});
