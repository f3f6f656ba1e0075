import { DecimalInput } from '../money';
import { EffectiveRange } from './effective-range';
import { PriceRule } from './price-rule';

/**
 * Who a price book prices for. A reseller keeps two books: one for its own clients and one for
 * the sub-resellers directly below it, whose cost is this book applied to the reseller's cost.
 */
export const PRICE_BOOK_AUDIENCES = ['clients', 'subResellers'] as const;
export type PriceBookAudience = (typeof PRICE_BOOK_AUDIENCES)[number];

/** A rule of a book for one item. */
export type PriceBookRule = PriceRule & { sku: string };

/**
 * One version of a reseller's price book for one audience. A version is complete: its default
 * uplift and its rules replace the previous version's from `effectiveFrom`, so an invoice can
 * always name the single version it used. Items without a rule take the default uplift.
 */
export interface PriceBookVersion extends EffectiveRange {
  id?: string;
  resellerId: string;
  audience: PriceBookAudience;
  defaultUpliftPercent: DecimalInput;
  rules: readonly PriceBookRule[];
}

/**
 * A price negotiated with one client for one item. It replaces the client book's rule for that
 * item (a discount is still taken off the client book's list price); versioned like the books.
 */
export type ClientPriceOverride = PriceRule &
  EffectiveRange & {
    id?: string;
    clientId: string;
    sku: string;
  };
