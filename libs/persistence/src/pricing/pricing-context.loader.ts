import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import {
  Dec,
  DomainError,
  type ClientPriceOverride as EngineClientOverride,
  type CatalogItem as EngineCatalogItem,
  type PriceBookAudience,
  type PriceBookVersion as EnginePriceBookVersion,
  type PriceRule,
  type PriceRuleKind,
  type PricingContext,
  type WholesaleCatalog,
  type WholesalePriceVersion,
} from '@wholesail/domain';
import { CatalogItem } from '../entities/catalog-item.entity';
import { CatalogPrice } from '../entities/catalog-price.entity';
import { ClientPriceOverride } from '../entities/client-price-override.entity';
import { Party } from '../entities/party.entity';
import { PriceBookVersion } from '../entities/price-book-version.entity';
import { inForceDuring, type PricingWindow } from '../versioning/in-force';

/**
 * Turns the pricing rows into the pure engine's input (libs/domain/src/pricing): the catalog, the
 * price books of the resellers between the operator and a client, and the client's overrides.
 * Shared by the API (quotes, catalog costs) and, later, the designer and billing activities, so
 * that every caller prices from exactly the same rows.
 */

/** The catalog's currency when it has no price yet: the first price sets it. */
export const DEFAULT_CATALOG_CURRENCY = 'EUR';

function inWindow(window: PricingWindow | undefined): object {
  return window ? inForceDuring(window) : {};
}

/** Arbitrary, fixed advisory-lock key for writing the catalog's prices ("WSCC"). */
export const CATALOG_CURRENCY_LOCK_KEY = 0x57534343;

/**
 * Makes the caller's transaction the only writer of wholesale prices until it ends, so the currency
 * it reads next (storedCatalogCurrency) is the one its price must be in: two first prices in
 * different currencies cannot both find the catalog without one. Released at commit or rollback.
 */
export async function lockCatalogPrices(em: EntityManager): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(?)', [CATALOG_CURRENCY_LOCK_KEY]);
}

/** The currency the catalog's prices are in, or null before its first price. */
export async function storedCatalogCurrency(em: EntityManager): Promise<string | null> {
  const rows: { currency: string }[] = await em.execute('select distinct currency from catalog_price order by currency');
  // Adding a price refuses another currency, so this is a data error, not an input one.
  if (rows.length > 1)
    throw DomainError.conflict('CATALOG_CURRENCY_MIXED', `the catalog has prices in several currencies (${rows.map((r) => r.currency).join(', ')})`);
  return rows[0]?.currency ?? null;
}

/** The one currency of the operator's catalog: every price and amount in a chain is in it. */
export async function catalogCurrency(em: EntityManager): Promise<string> {
  return (await storedCatalogCurrency(em)) ?? DEFAULT_CATALOG_CURRENCY;
}

/** Items with these SKUs (all items when omitted) and their wholesale price versions. */
export async function loadCatalog(em: EntityManager, skus?: readonly string[], window?: PricingWindow): Promise<WholesaleCatalog> {
  const items = await em.find(CatalogItem, skus ? { sku: { $in: [...skus] } } : {}, { orderBy: { sku: 'asc' } });
  const prices = items.length
    ? await em.find(CatalogPrice, { item: { $in: items }, ...inWindow(window) } as FilterQuery<CatalogPrice>, { orderBy: { effectiveFrom: 'asc' } })
    : [];
  const skuOf = new Map(items.map((item) => [item.id, item.sku]));
  return {
    currency: await catalogCurrency(em),
    items: items.map(toEngineItem),
    prices: prices.map((price) => toEngineWholesalePrice(price, skuOf.get(price.item.id)!)),
  };
}

export function toEngineItem(item: CatalogItem): EngineCatalogItem {
  return { sku: item.sku, name: item.name, category: item.category, unit: item.unit, retiredAt: item.retiredAt ?? null };
}

export function toEngineWholesalePrice(price: CatalogPrice, sku: string): WholesalePriceVersion {
  return { id: price.id, sku, unitPrice: plainDecimal(price.unitPrice), effectiveFrom: price.effectiveFrom, effectiveTo: price.effectiveTo ?? null };
}

/**
 * The resellers from the top-level one (which buys at wholesale) down to `party` itself when it is
 * a reseller, or to its reseller when it is a client, read from the materialised path.
 */
export async function resellerChain(em: EntityManager, party: Party): Promise<Party[]> {
  const ids = party.path.split('/').filter(Boolean);
  const resellers = await em.find(Party, { id: { $in: ids }, kind: 'reseller' });
  return resellers.sort((a, b) => a.depth - b.depth);
}

/** Price book versions (with their rules) of these resellers. */
export async function loadPriceBooks(
  em: EntityManager,
  resellerIds: readonly string[],
  window?: PricingWindow,
  audience?: PriceBookAudience,
): Promise<EnginePriceBookVersion[]> {
  if (resellerIds.length === 0) return [];
  const where = { reseller: { $in: [...resellerIds] }, ...(audience ? { audience } : {}), ...inWindow(window) } as FilterQuery<PriceBookVersion>;
  const versions = await em.find(PriceBookVersion, where, { populate: ['rules', 'rules.item'], orderBy: { effectiveFrom: 'asc' } });
  return versions.map(toEnginePriceBook);
}

export function toEnginePriceBook(version: PriceBookVersion): EnginePriceBookVersion {
  return {
    id: version.id,
    resellerId: version.reseller.id,
    audience: version.audience,
    defaultUpliftPercent: plainDecimal(version.defaultUpliftPercent),
    effectiveFrom: version.effectiveFrom,
    effectiveTo: version.effectiveTo ?? null,
    rules: version.rules.getItems().map((rule) => ({ sku: rule.item.sku, ...toEngineRule(rule.kind, rule.value) })),
  };
}

export async function loadClientOverrides(em: EntityManager, clientId: string, window?: PricingWindow): Promise<EngineClientOverride[]> {
  const overrides = await em.find(ClientPriceOverride, { client: clientId, ...inWindow(window) } as FilterQuery<ClientPriceOverride>, {
    populate: ['item'],
    orderBy: { effectiveFrom: 'asc' },
  });
  return overrides.map(toEngineClientOverride);
}

export function toEngineClientOverride(override: ClientPriceOverride): EngineClientOverride {
  return {
    id: override.id,
    clientId: override.client.id,
    sku: override.item.sku,
    effectiveFrom: override.effectiveFrom,
    effectiveTo: override.effectiveTo ?? null,
    ...toEngineRule(override.kind, override.value),
  };
}

/** Everything the engine needs to price `skus` for `client` over `window`. */
export async function loadPricingContext(em: EntityManager, client: Party, skus: readonly string[], window?: PricingWindow): Promise<PricingContext> {
  const chain = await resellerChain(em, client);
  const resellerIds = chain.map((reseller) => reseller.id);
  return {
    catalog: await loadCatalog(em, skus, window),
    chain: { clientId: client.id, resellerIds },
    priceBooks: await loadPriceBooks(em, resellerIds, window),
    clientOverrides: await loadClientOverrides(em, client.id, window),
  };
}

/** A stored rule (kind and value) as the engine's rule. */
export function toEngineRule(kind: PriceRuleKind, value: string): PriceRule<string> {
  const text = plainDecimal(value);
  switch (kind) {
    case 'uplift':
      return { kind, upliftPercent: text };
    case 'discount':
      return { kind, discountPercent: text };
    case 'fixed':
      return { kind, fixedUnitPrice: text };
  }
}

/** The engine's rule as stored: its kind and its one value. */
export function fromEngineRule(rule: PriceRule<string>): { kind: PriceRuleKind; value: string } {
  switch (rule.kind) {
    case 'uplift':
      return { kind: rule.kind, value: rule.upliftPercent };
    case 'discount':
      return { kind: rule.kind, value: rule.discountPercent };
    case 'fixed':
      return { kind: rule.kind, value: rule.fixedUnitPrice };
  }
}

/** A numeric column's text ("25.000000") as written without trailing zeros ("25"), exactly. */
export function plainDecimal(value: string): string {
  return new Dec(value).toFixed();
}
