import { DomainError } from '../errors';
import { DecimalInput } from '../money';
import { boundariesWithin, EffectiveRange } from './effective-range';
import { epochSeconds, Instant, parseInstant } from './instant';
import { PricingContext } from './pricing-context';
import { PricingErrorCode } from './pricing-errors';
import { parseQuantity, resolvePrice } from './resolve-price';
import { PriceWaterfall } from './waterfall';

/**
 * Proration: a monthly-priced item used for part of a billing period is charged for the exact
 * share of the period it existed, in whole seconds: amount = unit price × quantity × seconds
 * existed / seconds in period, kept as an exact fraction and rounded once per line.
 *
 * The billing period's bounds (a calendar month in the operator's time zone) are the caller's to
 * compute; this module only needs them as instants.
 */
export interface ProratedPriceRequest {
  sku: string;
  quantity: DecimalInput;
  /** The instant whose versions apply (usually the start of the usage). */
  at: Instant;
  secondsExisted: bigint | string;
  secondsInPeriod: bigint | string;
}

export function resolveProratedPrice(context: PricingContext, request: ProratedPriceRequest): PriceWaterfall {
  const { secondsExisted, secondsInPeriod, ...line } = request;
  return resolvePrice(context, { ...line, share: { secondsExisted, secondsInPeriod } });
}

export interface UsageRequest {
  sku: string;
  quantity: DecimalInput;
  /** The item existed over [from, to), within the period. */
  from: Instant;
  to: Instant;
  period: { start: Instant; end: Instant };
}

/** A stretch of usage over which every price in the chain stayed the same, priced as one line. */
export interface UsageSegment {
  from: Date;
  to: Date;
  waterfall: PriceWaterfall;
}

/**
 * Prices usage over [from, to) within a period, split at every instant a price that applies to
 * this client and item changes (its wholesale price, a book of a reseller in the chain, the
 * client's override), so each part is charged at the prices in force during it. Each part is its
 * own line, rounded on its own (the policy rounds per line). Parts shorter than a second are
 * dropped: they have no seconds to charge.
 */
export function priceUsage(context: PricingContext, request: UsageRequest): UsageSegment[] {
  const from = parseInstant(request.from, 'from', PricingErrorCode.InvalidProration);
  const to = parseInstant(request.to, 'to', PricingErrorCode.InvalidProration);
  const start = parseInstant(request.period.start, 'period.start', PricingErrorCode.InvalidProration);
  const end = parseInstant(request.period.end, 'period.end', PricingErrorCode.InvalidProration);
  const invalid = (field: string, problem: string) => DomainError.invalid(PricingErrorCode.InvalidProration, field, problem);
  if (end.getTime() <= start.getTime()) throw invalid('period.end', 'must be after period.start');
  if (from.getTime() < start.getTime() || from.getTime() > end.getTime()) throw invalid('from', 'must lie within the period');
  if (to.getTime() < from.getTime() || to.getTime() > end.getTime()) throw invalid('to', 'must lie between from and the end of the period');
  parseQuantity(request.quantity);

  const secondsInPeriod = epochSeconds(end) - epochSeconds(start);
  const cuts = [from, ...boundariesWithin(versionsThatApply(context, request.sku), from, to), to];
  const segments: UsageSegment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const secondsExisted = epochSeconds(cuts[i + 1]) - epochSeconds(cuts[i]);
    if (secondsExisted === 0n) continue;
    const waterfall = resolvePrice(context, {
      sku: request.sku,
      quantity: request.quantity,
      at: cuts[i],
      share: { secondsExisted, secondsInPeriod },
    });
    segments.push({ from: cuts[i], to: cuts[i + 1], waterfall });
  }
  return segments;
}

/** The versioned records whose changes can change this client's price of `sku`. */
function versionsThatApply(context: PricingContext, sku: string): EffectiveRange[] {
  const { resellerIds, clientId } = context.chain;
  const last = resellerIds.length - 1;
  return [
    ...context.catalog.prices.filter((version) => version.sku === sku),
    ...context.priceBooks.filter((book) => {
      const depth = resellerIds.indexOf(book.resellerId);
      return depth >= 0 && book.audience === (depth === last ? 'clients' : 'subResellers');
    }),
    ...context.clientOverrides.filter((override) => override.clientId === clientId && override.sku === sku),
  ];
}
