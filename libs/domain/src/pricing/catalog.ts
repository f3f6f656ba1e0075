import { DecimalInput } from '../money';
import { EffectiveRange } from './effective-range';
import { Instant } from './instant';

export const ITEM_CATEGORIES = ['compute', 'storage', 'network', 'licence', 'service'] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/**
 * An item of the operator's wholesale catalog. Items are retired, never deleted once used: a
 * retired item can no longer be quoted, but past usage of it is still priced and billed.
 */
export interface CatalogItem {
  sku: string;
  name: string;
  category: ItemCategory;
  /** What one unit is, e.g. "vCPU", "GB", "IP", "licence". Prices are per unit per month. */
  unit: string;
  /** From this instant on, the item cannot be quoted. */
  retiredAt?: Instant | null;
}

/** One version of an item's monthly wholesale price per unit, in the catalog's currency. */
export interface WholesalePriceVersion extends EffectiveRange {
  /** The row's id, echoed in results so a price can be traced to the version it came from. */
  id?: string;
  sku: string;
  unitPrice: DecimalInput;
}

/** The operator's catalog as a service loads it: items and all their price versions. */
export interface WholesaleCatalog {
  /** The operator's billing currency; every price and amount in a chain is in it. */
  currency: string;
  items: readonly CatalogItem[];
  prices: readonly WholesalePriceVersion[];
}
