import { CurrencyCode, Dec, Money } from '../money';
import { PriceRule } from './price-rule';

/** Where a tier's price for an item came from. */
export type RuleSource = 'rule' | 'defaultUplift' | 'clientOverride';

export interface AppliedRule {
  source: RuleSource;
  /** For `defaultUplift`, the book's default as an uplift rule. */
  rule: PriceRule<string>;
  /** The id of the price book version or client override used, when the caller gave ids. */
  versionId: string | null;
}

/** One reseller's unit prices for an item: what it pays and what it charges. */
export interface TierUnitPrice {
  resellerId: string;
  /** 0 for the top-level reseller, which buys at wholesale. */
  depth: number;
  sellsTo: 'subReseller' | 'client';
  /** Exact, unrounded: the wholesale price or the parent's price to sub-resellers. */
  unitCost: Money;
  /** Exact, unrounded: the price it charges the tier below (or its client). */
  unitPrice: Money;
  appliedRule: AppliedRule;
  /** It sells this item under its own cost (allowed; surfaced for review). */
  belowCost: boolean;
}

/** The exact unit prices of one item for one client at one instant, tier by tier. */
export interface UnitPriceChain {
  clientId: string;
  sku: string;
  at: Date;
  currency: CurrencyCode;
  wholesaleUnitPrice: Money;
  wholesalePriceVersionId: string | null;
  /** From the top-level reseller down to the client's reseller. */
  tiers: TierUnitPrice[];
  clientUnitPrice: Money;
}

/** A tier on a priced line: its unit prices and its rounded amounts. */
export interface TierLine extends TierUnitPrice {
  /** What the tier above (or the operator) bills it for the line: the amount on its invoice. */
  costAmount: Money;
  /** What it bills the tier below (or its client) for the line. */
  saleAmount: Money;
  /** saleAmount − costAmount; negative when it sells below cost. */
  margin: Money;
}

/** For a prorated line, the share of the billing period the item was used. */
export interface PeriodShare {
  secondsExisted: string;
  secondsInPeriod: string;
}

/**
 * One priced line: who pays what and who earns what. On every line
 * Σ tiers[i].margin + wholesaleAmount = clientAmount, exactly.
 */
export interface PriceWaterfall extends Omit<UnitPriceChain, 'tiers'> {
  quantity: Dec;
  /** null for a full month. */
  share: PeriodShare | null;
  wholesaleAmount: Money;
  tiers: TierLine[];
  clientAmount: Money;
}
