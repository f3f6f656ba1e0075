import { WholesaleCatalog } from './catalog';
import { ClientPriceOverride, PriceBookVersion } from './price-book';

/**
 * The resellers between the operator and one client, from the top-level reseller (which buys at
 * wholesale) down to the client's own reseller. Distributors and agents are not in it: they earn
 * cuts on wholesale revenue, they do not buy and resell.
 */
export interface PricingChain {
  clientId: string;
  resellerIds: readonly string[];
}

/**
 * Everything needed to price for one client, as a service loads it (all versions, any dates;
 * the engine picks the versions in force at the instant priced). Only this chain's books and this
 * client's overrides matter; others are ignored.
 */
export interface PricingContext {
  catalog: WholesaleCatalog;
  chain: PricingChain;
  priceBooks: readonly PriceBookVersion[];
  clientOverrides: readonly ClientPriceOverride[];
}
