import { DomainError } from '../errors';
import { DecimalInput, Money } from '../money';
import { ItemCategory } from './catalog';
import { Instant, parseInstant } from './instant';
import { PricingContext } from './pricing-context';
import { PricingErrorCode } from './pricing-errors';
import { resolvePrice } from './resolve-price';
import { findCatalogItem } from './unit-prices';
import { AppliedRule, PriceWaterfall, TierLine } from './waterfall';

/**
 * Quotes: a bill of materials priced for one client at one instant, as plain JSON (decimal
 * strings, ISO dates) so it can be stored, sent over HTTP and passed through Temporal unchanged.
 * The designer's quote and billing's rating use the same engine (`resolvePrice`), so a quote is
 * what the invoice will say for a full month at the same prices.
 */
export interface BillOfMaterialsLine {
  sku: string;
  quantity: DecimalInput;
  /** The caller's reference for the line (e.g. the design component), echoed back. */
  ref?: string;
}

export interface QuoteRequest {
  asOf: Instant;
  lines: readonly BillOfMaterialsLine[];
  /** Re-pricing existing usage may include retired items; a new quote may not. */
  allowRetired?: boolean;
}

export interface QuoteTierLine {
  resellerId: string;
  depth: number;
  sellsTo: 'subReseller' | 'client';
  unitCost: string;
  unitPrice: string;
  costAmount: string;
  saleAmount: string;
  margin: string;
  belowCost: boolean;
  appliedRule: AppliedRule;
}

/**
 * `belowCost`: a tier on the line sells under its cost; `clientOverride`: the client's negotiated
 * price applies; `fixedPrice`: a tier on the line charges a fixed price.
 */
export type QuoteLineFlag = 'belowCost' | 'clientOverride' | 'fixedPrice';

export interface QuoteLine {
  ref: string | null;
  sku: string;
  name: string;
  category: ItemCategory;
  unit: string;
  quantity: string;
  /** The client's exact unit price. */
  unitPrice: string;
  /** The client's line amount, rounded once. */
  amount: string;
  wholesaleUnitPrice: string;
  wholesaleAmount: string;
  tiers: QuoteTierLine[];
  flags: QuoteLineFlag[];
}

export interface QuoteTierTotal {
  resellerId: string;
  depth: number;
  costTotal: string;
  saleTotal: string;
  marginTotal: string;
  belowCostLines: number;
}

export interface Quote {
  clientId: string;
  currency: string;
  asOf: string;
  lines: QuoteLine[];
  /** Σ line amounts: what the client pays per month. */
  monthlyTotal: string;
  /** Σ wholesale amounts: what the operator bills the chain for this client. */
  wholesaleTotal: string;
  /** Per reseller: Σ of its rounded line amounts. Σ marginTotal + wholesaleTotal = monthlyTotal. */
  tiers: QuoteTierTotal[];
}

export function priceBillOfMaterials(context: PricingContext, request: QuoteRequest): Quote {
  const asOf = parseInstant(request.asOf, 'asOf');
  const priced = request.lines.map((line, index) => {
    const field = `lines[${index}]`;
    const item = prefixingFields(field, () => findCatalogItem(context.catalog.items, line.sku));
    if (!request.allowRetired && item.retiredAt != null && parseInstant(item.retiredAt, 'retiredAt').getTime() <= asOf.getTime()) {
      throw DomainError.invalid(PricingErrorCode.ItemRetired, `${field}.sku`, `${line.sku} is retired and cannot be quoted`);
    }
    const waterfall = prefixingFields(field, () => resolvePrice(context, { sku: line.sku, quantity: line.quantity, at: asOf }));
    return { line, item, waterfall };
  });

  const currency = context.catalog.currency;
  const waterfalls = priced.map(({ waterfall }) => waterfall);
  return {
    clientId: context.chain.clientId,
    currency,
    asOf: asOf.toISOString(),
    lines: priced.map(({ line, item, waterfall }) => ({
      ref: line.ref ?? null,
      sku: item.sku,
      name: item.name,
      category: item.category,
      unit: item.unit,
      quantity: waterfall.quantity.toString(),
      unitPrice: waterfall.clientUnitPrice.toString(),
      amount: waterfall.clientAmount.toString(),
      wholesaleUnitPrice: waterfall.wholesaleUnitPrice.toString(),
      wholesaleAmount: waterfall.wholesaleAmount.toString(),
      tiers: waterfall.tiers.map(tierLineToJson),
      flags: quoteLineFlags(waterfall.tiers),
    })),
    monthlyTotal: Money.sum(
      waterfalls.map((w) => w.clientAmount),
      currency,
    ).toString(),
    wholesaleTotal: Money.sum(
      waterfalls.map((w) => w.wholesaleAmount),
      currency,
    ).toString(),
    tiers: context.chain.resellerIds.map((resellerId, depth) => tierTotal(resellerId, depth, waterfalls, currency)),
  };
}

/** The flags a set of tiers raises; a tier's view recomputes them from the tiers it may see. */
export function quoteLineFlags(tiers: readonly Pick<TierLine, 'belowCost' | 'appliedRule'>[]): QuoteLineFlag[] {
  const flags: QuoteLineFlag[] = [];
  if (tiers.some((tier) => tier.belowCost)) flags.push('belowCost');
  if (tiers.some((tier) => tier.appliedRule.source === 'clientOverride')) flags.push('clientOverride');
  if (tiers.some((tier) => tier.appliedRule.rule.kind === 'fixed')) flags.push('fixedPrice');
  return flags;
}

export function tierLineToJson(tier: TierLine): QuoteTierLine {
  return {
    resellerId: tier.resellerId,
    depth: tier.depth,
    sellsTo: tier.sellsTo,
    unitCost: tier.unitCost.toString(),
    unitPrice: tier.unitPrice.toString(),
    costAmount: tier.costAmount.toString(),
    saleAmount: tier.saleAmount.toString(),
    margin: tier.margin.toString(),
    belowCost: tier.belowCost,
    appliedRule: tier.appliedRule,
  };
}

function tierTotal(resellerId: string, depth: number, waterfalls: readonly PriceWaterfall[], currency: string): QuoteTierTotal {
  const lines = waterfalls.map((waterfall) => waterfall.tiers[depth]);
  const sum = (pick: (tier: TierLine) => Money) => Money.sum(lines.map(pick), currency).toString();
  return {
    resellerId,
    depth,
    costTotal: sum((tier) => tier.costAmount),
    saleTotal: sum((tier) => tier.saleAmount),
    marginTotal: sum((tier) => tier.margin),
    belowCostLines: lines.filter((tier) => tier.belowCost).length,
  };
}

/** The request fields of a line; an error naming one of them is re-thrown as `lines[i].<field>`. */
const LINE_FIELDS = new Set(['sku', 'quantity']);

/** Runs `fn`, re-throwing its domain error with the line's own fields named under `prefix`. */
function prefixingFields<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const fields = error.fields.map((f) => (LINE_FIELDS.has(f.field) ? { ...f, field: `${prefix}.${f.field}` } : f));
    throw new DomainError(error.code, `${prefix}: ${error.message}`, fields, error.kind);
  }
}
