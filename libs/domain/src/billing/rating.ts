import { DomainError } from '../errors';
import { Dec, Money } from '../money';
import { priceUsage } from '../pricing/proration';
import type { PricingContext } from '../pricing/pricing-context';
import type { PeriodShare, PriceWaterfall } from '../pricing/waterfall';
import { BillingErrorCode } from './billing-errors';
import type { Attribution, Channel } from './channel';
import { billingPeriod } from './period';
import type { UsageOrigin, MeteredSegment } from './usage-for-run';

/** A tier's part of a rated line: what it paid, what it charged, what it kept. */
export interface RatedTier {
  resellerId: string;
  /** Exact unit prices: what the tier pays per unit per month (the wholesale price or its parent's price to it), and what it charges. */
  unitCost: Money;
  unitPrice: Money;
  /** Where its price came from: a price book rule, its default uplift, or a client override. */
  ruleSource: 'rule' | 'defaultUplift' | 'clientOverride';
  costAmount: Money;
  saleAmount: Money;
  margin: Money;
  /** The price book version or client override the tier's price came from. */
  priceVersionId: string | null;
}

/**
 * One priced line of usage: a segment, or a part of one, over which every price in the client's
 * chain and everything that decides who earns on the client stayed the same. Amounts are rounded
 * once each (the pricing engine's policy) and negative for a correction that credits usage.
 */
export interface RatedLine {
  /** `<segment key>#<n>`: unique within a run. */
  id: string;
  segmentKey: string;
  clientId: string;
  sku: string;
  usagePeriod: string;
  billedPeriod: string;
  late: boolean;
  from: Date;
  to: Date;
  /** Signed, like the segment's. */
  quantity: Dec;
  share: PeriodShare;
  /** From the top-level reseller down to the client's own. */
  resellerIds: string[];
  currency: string;
  wholesaleUnitPrice: Money;
  wholesalePriceVersionId: string | null;
  clientUnitPrice: Money;
  wholesaleAmount: Money;
  tiers: RatedTier[];
  clientAmount: Money;
  attribution: Attribution;
  origin: UsageOrigin;
}

export interface RatingInput {
  segments: readonly MeteredSegment[];
  /** The pricing rows of a client (its chain's books, its overrides, the catalog). */
  pricingFor: (clientId: string) => PricingContext;
  channel: Channel;
}

/**
 * Rates usage with the pricing engine at every tier. Each segment is cut where the attribution of
 * its client changes (a reseller moved to another distributor, an agent credit or agreement
 * version changed, a first-N-months window ended) and, by the engine, where a price changes; each
 * part is priced and rounded as its own line. So every line belongs wholly to one distributor,
 * agent and agreement version, and the cuts attribute whole lines — never a share of a line.
 */
export function rateUsage(input: RatingInput): RatedLine[] {
  const lines: RatedLine[] = [];
  for (const segment of input.segments) {
    const context = input.pricingFor(segment.clientId);
    if (context.chain.clientId !== segment.clientId) {
      throw DomainError.invalid(
        BillingErrorCode.InvalidInput,
        'pricingFor',
        `returned the pricing of client ${context.chain.clientId} for ${segment.clientId}`,
      );
    }
    const period = billingPeriod(segment.usagePeriod, input.channel.timeZone);
    const negative = segment.quantity.isNegative() && !segment.quantity.isZero();
    const quantity = segment.quantity.abs();
    const edges = [segment.from, ...input.channel.boundariesWithin(segment.clientId, segment.from, segment.to), segment.to];
    let n = 0;
    for (let i = 0; i + 1 < edges.length; i++) {
      const attribution = input.channel.attributionAt(segment.clientId, edges[i]);
      const priced = priceUsage(context, { sku: segment.sku, quantity, from: edges[i], to: edges[i + 1], period });
      for (const part of priced) lines.push(toLine(segment, part.from, part.to, part.waterfall, negative, attribution, n++));
    }
  }
  return lines;
}

function toLine(segment: MeteredSegment, from: Date, to: Date, w: PriceWaterfall, negative: boolean, attribution: Attribution, n: number): RatedLine {
  const signed = (amount: Money) => (negative ? amount.negated() : amount);
  return {
    id: `${segment.key}#${n}`,
    segmentKey: segment.key,
    clientId: segment.clientId,
    sku: segment.sku,
    usagePeriod: segment.usagePeriod,
    billedPeriod: segment.billedPeriod,
    late: segment.late,
    from,
    to,
    quantity: segment.quantity,
    share: w.share ?? { secondsExisted: segment.secondsInPeriod.toString(), secondsInPeriod: segment.secondsInPeriod.toString() },
    resellerIds: w.tiers.map((t) => t.resellerId),
    currency: w.currency,
    wholesaleUnitPrice: w.wholesaleUnitPrice,
    wholesalePriceVersionId: w.wholesalePriceVersionId,
    clientUnitPrice: w.clientUnitPrice,
    wholesaleAmount: signed(w.wholesaleAmount),
    tiers: w.tiers.map((t) => ({
      resellerId: t.resellerId,
      unitCost: t.unitCost,
      unitPrice: t.unitPrice,
      ruleSource: t.appliedRule.source,
      costAmount: signed(t.costAmount),
      saleAmount: signed(t.saleAmount),
      margin: signed(t.margin),
      priceVersionId: t.appliedRule.versionId,
    })),
    clientAmount: signed(w.clientAmount),
    attribution,
    origin: segment.origin,
  };
}
