import { DomainError } from '../errors';
import { quoteLineFlags, Quote, QuoteLine, QuoteTierLine, QuoteTierTotal } from './quote';
import { PricingErrorCode } from './pricing-errors';
import { PriceWaterfall, TierLine } from './waterfall';

/**
 * What each party may see of a price. A reseller sees its own cost (what it is billed), its own
 * price and margin, and everything below it; never the wholesale price or any cost above its own,
 * which would reveal its parent's margin. A client sees only its own price. The operator sees
 * everything (the unfiltered waterfall). Services must pass every price through one of these
 * before it leaves for a reseller or a client.
 */
export interface TierWaterfallView extends Pick<
  PriceWaterfall,
  'clientId' | 'sku' | 'at' | 'currency' | 'quantity' | 'share' | 'clientUnitPrice' | 'clientAmount'
> {
  viewerId: string;
  own: TierLine;
  /** The resellers below the viewer, down to the client's reseller. */
  below: TierLine[];
}

export type ClientWaterfallView = Pick<PriceWaterfall, 'clientId' | 'sku' | 'at' | 'currency' | 'quantity' | 'share' | 'clientUnitPrice' | 'clientAmount'>;

export function viewForTier(waterfall: PriceWaterfall, tierPartyId: string): TierWaterfallView {
  const depth = depthOf(waterfall.tiers, tierPartyId);
  return {
    ...viewForClient(waterfall),
    viewerId: tierPartyId,
    own: waterfall.tiers[depth],
    below: waterfall.tiers.slice(depth + 1),
  };
}

export function viewForClient(waterfall: PriceWaterfall): ClientWaterfallView {
  const { clientId, sku, at, currency, quantity, share, clientUnitPrice, clientAmount } = waterfall;
  return { clientId, sku, at, currency, quantity, share, clientUnitPrice, clientAmount };
}

type ClientQuoteLine = Pick<QuoteLine, 'ref' | 'sku' | 'name' | 'category' | 'unit' | 'quantity' | 'unitPrice' | 'amount'>;

export interface TierQuoteLine extends ClientQuoteLine {
  own: QuoteTierLine;
  below: QuoteTierLine[];
  /** Raised by the viewer's tier or those below it only. */
  flags: QuoteLine['flags'];
}

export interface TierQuote extends Pick<Quote, 'clientId' | 'currency' | 'asOf' | 'monthlyTotal'> {
  viewerId: string;
  lines: TierQuoteLine[];
  own: QuoteTierTotal;
  below: QuoteTierTotal[];
}

export interface ClientQuote extends Pick<Quote, 'clientId' | 'currency' | 'asOf' | 'monthlyTotal'> {
  lines: ClientQuoteLine[];
}

export function quoteForTier(quote: Quote, tierPartyId: string): TierQuote {
  const depth = depthOf(quote.tiers, tierPartyId);
  return {
    ...quoteHeader(quote),
    viewerId: tierPartyId,
    lines: quote.lines.map((line) => {
      const visible = line.tiers.slice(depth);
      return { ...clientLine(line), own: visible[0], below: visible.slice(1), flags: quoteLineFlags(visible) };
    }),
    own: quote.tiers[depth],
    below: quote.tiers.slice(depth + 1),
  };
}

export function quoteForClient(quote: Quote): ClientQuote {
  return { ...quoteHeader(quote), lines: quote.lines.map(clientLine) };
}

function quoteHeader(quote: Quote): Pick<Quote, 'clientId' | 'currency' | 'asOf' | 'monthlyTotal'> {
  const { clientId, currency, asOf, monthlyTotal } = quote;
  return { clientId, currency, asOf, monthlyTotal };
}

function clientLine(line: QuoteLine): ClientQuoteLine {
  const { ref, sku, name, category, unit, quantity, unitPrice, amount } = line;
  return { ref, sku, name, category, unit, quantity, unitPrice, amount };
}

function depthOf(tiers: readonly { resellerId: string }[], partyId: string): number {
  const depth = tiers.findIndex((tier) => tier.resellerId === partyId);
  if (depth < 0) throw DomainError.forbidden(PricingErrorCode.NotInChain, `party ${partyId} is not a reseller in this price chain`);
  return depth;
}
