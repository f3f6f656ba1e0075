/**
 * Price resolution and the margin waterfall.
 *
 * ROUNDING POLICY (the same text is in ./README.md)
 *
 * 1. Unit prices are exact. Wholesale prices, uplifts, discounts and fixed prices are applied
 *    with exact decimal arithmetic at every tier; a unit price is never rounded, and no amount is
 *    ever held in a JS number (binary floating point).
 * 2. Each line is rounded once. A line amount is unit price × quantity — × seconds existed /
 *    seconds in period when prorated — computed exactly, then rounded once, half-even (banker's
 *    rounding: a tie goes to the even digit), to the currency's minor unit (EUR 0.01, JPY 1,
 *    BHD 0.001). A rounded amount is never rounded again.
 * 3. Every party's amount on a line is rounded that way from its own exact unit price: the
 *    wholesale amount, each reseller's sale amount and the client amount (the sale amount of the
 *    client's reseller). A reseller's cost amount is the sale amount of the tier above it (the
 *    wholesale amount for a top-level reseller): the very figure on the invoice it receives.
 * 4. Margins are differences of rounded amounts: margin = sale amount − cost amount. So on every
 *    line Σ reseller margins + wholesale amount = client amount exactly, to the minor unit. A
 *    margin may differ by a minor unit from round(unit margin × quantity); that is by design, so
 *    that every party's invoices reconcile.
 * 5. A total is the sum of its rounded lines, never the rounding of an unrounded sum.
 */
import { DomainError } from '../errors';
import { Dec, DecimalInput, Money, parseDecimal, parseRatio, Ratio, WHOLE } from '../money';
import { Instant } from './instant';
import { PricingContext } from './pricing-context';
import { PricingErrorCode } from './pricing-errors';
import { resolveUnitPrices } from './unit-prices';
import { PeriodShare, PriceWaterfall, TierLine, UnitPriceChain } from './waterfall';

export interface PriceRequest {
  sku: string;
  /** A decimal string ("3", "0.5"); ≥ 0. */
  quantity: DecimalInput;
  /** The instant whose versions apply. */
  at: Instant;
  /** The share of the billing period used; omit for a full month. */
  share?: PeriodShareInput;
}

/** Whole seconds, as bigints or strings of digits (JSON carries them as strings). */
export interface PeriodShareInput {
  secondsExisted: bigint | string;
  secondsInPeriod: bigint | string;
}

/** The waterfall of one line: `sku` × `quantity` for the context's client at `at`. */
export function resolvePrice(context: PricingContext, request: PriceRequest): PriceWaterfall {
  const quantity = parseQuantity(request.quantity);
  const share = request.share ? parsePeriodShare(request.share) : null;
  return priceLine(resolveUnitPrices(context, request.sku, request.at), quantity, share);
}

/** Applies the rounding policy to a chain of exact unit prices. */
export function priceLine(units: UnitPriceChain, quantity: Dec, share: Ratio | null = null): PriceWaterfall {
  const lineAmount = (unitPrice: Money): Money => unitPrice.mul(quantity).mulRatioRoundedToMinor(share ?? WHOLE);

  const wholesaleAmount = lineAmount(units.wholesaleUnitPrice);
  let costAmount = wholesaleAmount;
  const tiers: TierLine[] = units.tiers.map((tier) => {
    const saleAmount = lineAmount(tier.unitPrice);
    const line = { ...tier, costAmount, saleAmount, margin: saleAmount.sub(costAmount) };
    costAmount = saleAmount;
    return line;
  });

  return {
    ...units,
    quantity,
    share: share ? shareToJson(share) : null,
    wholesaleAmount,
    tiers,
    clientAmount: costAmount,
  };
}

export function parseQuantity(quantity: DecimalInput, field = 'quantity'): Dec {
  const value = parseDecimal(quantity, field);
  if (value.isNegative() && !value.isZero()) throw DomainError.invalid(PricingErrorCode.InvalidQuantity, field, 'must not be negative');
  return value;
}

/** 0 ≤ seconds existed ≤ seconds in period, and a period of at least one second. */
export function parsePeriodShare(share: PeriodShareInput, field = 'share'): Ratio {
  const invalid = (problem: string) => DomainError.invalid(PricingErrorCode.InvalidProration, field, problem);
  let ratio: Ratio;
  try {
    ratio = parseRatio(share.secondsExisted, share.secondsInPeriod, field);
  } catch {
    throw invalid('needs whole seconds (bigint or digits) and secondsInPeriod > 0');
  }
  if (ratio.numerator < 0n || ratio.numerator > ratio.denominator) throw invalid('secondsExisted must be between 0 and secondsInPeriod');
  return ratio;
}

function shareToJson(share: Ratio): PeriodShare {
  return { secondsExisted: share.numerator.toString(), secondsInPeriod: share.denominator.toString() };
}
