import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import {
  assertValidCatalogItem,
  designAttributeProblems,
  assertValidWholesalePrice,
  DomainError,
  isDomainError,
  Money,
  MoneyErrorCode,
  parseCurrency,
  parseInstant,
  PricingErrorCode,
  resolveUnitPrices,
  versionClosedBy,
  type PriceBookVersion as EnginePriceBookVersion,
  type PricingContext,
  type WholesalePriceVersion,
} from '@wholesail/domain';
import {
  CatalogItem,
  CatalogPrice,
  EffectiveDatePolicy,
  inForceAt,
  instantWindow,
  likeContaining,
  loadCatalog,
  loadPriceBooks,
  Party,
  resellerChain,
  lockCatalogPrices,
  storedCatalogCurrency,
  toEngineItem,
} from '@wholesail/persistence';
import { PageQuery } from '../common/pagination';
import {
  WholesalePriceView,
  type AddCatalogPriceDto,
  type CatalogItemView,
  type CreateCatalogItemDto,
  type ListCatalogQuery,
  type ResellerPricesView,
  type RetireCatalogItemDto,
} from './dto/catalog.dto';

/**
 * The operator's wholesale catalog. Everyone signed in may read the items; only the operator sees
 * wholesale prices, and a reseller sees its own cost instead, priced through its chain by the
 * engine, so it never learns the wholesale price behind a parent reseller.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: EffectiveDatePolicy,
  ) {}

  async list(principal: Principal, query: ListCatalogQuery): Promise<[CatalogItemView[], number]> {
    const at = query.asOf ? parseInstant(query.asOf, 'asOf') : new Date();
    const where: FilterQuery<CatalogItem>[] = [];
    if (query.category) where.push({ category: query.category });
    if (query.q) where.push({ $or: [{ sku: { $ilike: likeContaining(query.q) } }, { name: { $ilike: likeContaining(query.q) } }] });
    if (query.retired === 'true') where.push({ retiredAt: { $lte: at } });
    if (query.retired === 'false') where.push({ $or: [{ retiredAt: null }, { retiredAt: { $gt: at } }] });
    const [items, total] = await this.em.findAndCount(CatalogItem, { $and: where }, { orderBy: { sku: 'asc' }, limit: query.pageSize, offset: query.offset });
    return [await this.views(principal, items, at), total];
  }

  async get(principal: Principal, sku: string, asOf?: string): Promise<CatalogItemView> {
    const at = asOf ? parseInstant(asOf, 'asOf') : new Date();
    const [view] = await this.views(principal, [await this.item(sku)], at);
    return view;
  }

  async create(principal: Principal, dto: CreateCatalogItemDto): Promise<CatalogItemView> {
    assertValidCatalogItem({ sku: dto.sku, name: dto.name, category: dto.category, unit: dto.unit });
    const designProblems = designAttributeProblems(dto.design);
    if (designProblems.length) throw new DomainError('CATALOG_INVALID_DESIGN', designProblems.map((p) => `${p.field} ${p.problem}`).join('; '), designProblems);
    const item = await this.em.transactional(async (tx) => {
      if (await tx.count(CatalogItem, { sku: dto.sku }))
        throw DomainError.conflict('CATALOG_SKU_TAKEN', `an item with SKU ${dto.sku} already exists`, [
          { field: 'sku', problem: 'is already used by another item' },
        ]);
      const created = tx.create(CatalogItem, { sku: dto.sku, name: dto.name, category: dto.category, unit: dto.unit, design: dto.design ?? null });
      if (dto.unitPrice !== undefined)
        await this.addVersion(tx, created, { unitPrice: dto.unitPrice, currency: dto.currency, effectiveFrom: dto.effectiveFrom });
      await tx.flush();
      return created;
    });
    return this.get(principal, item.sku);
  }

  /** A new wholesale price version; the open one ends where it starts. Never alters a past period. */
  async addPrice(sku: string, dto: AddCatalogPriceDto): Promise<WholesalePriceView> {
    return this.em.transactional(async (tx) => {
      // Locking the item serialises version writes, so two concurrent changes cannot both pass the overlap check.
      const item = await tx.findOne(CatalogItem, { sku }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!item) throw notFound(sku);
      const price = await this.addVersion(tx, item, dto);
      await tx.flush();
      return WholesalePriceView.of(price, moneyText(price.unitPrice, price.currency));
    });
  }

  async prices(sku: string, page: PageQuery): Promise<[WholesalePriceView[], number]> {
    const item = await this.item(sku);
    const [prices, total] = await this.em.findAndCount(
      CatalogPrice,
      { item },
      { orderBy: { effectiveFrom: 'desc' }, limit: page.pageSize, offset: page.offset },
    );
    return [prices.map((price) => WholesalePriceView.of(price, moneyText(price.unitPrice, price.currency))), total];
  }

  /** Items are retired, never deleted: past usage of them is still priced, new quotes refuse them. */
  async retire(principal: Principal, sku: string, dto: RetireCatalogItemDto): Promise<CatalogItemView> {
    const now = new Date();
    const at = dto.retiredAt ? parseInstant(dto.retiredAt, 'retiredAt') : now;
    await this.em.transactional(async (tx) => {
      const item = await tx.findOne(CatalogItem, { sku }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!item) throw notFound(sku);
      await this.policy.assertAllowed(tx, at, now, { code: PricingErrorCode.EffectiveInPast, field: 'retiredAt', what: 'catalog item' });
      if (item.retiredAt) throw DomainError.conflict('CATALOG_ITEM_ALREADY_RETIRED', `${sku} is already retired from ${item.retiredAt.toISOString()}`);
      item.retiredAt = at;
    });
    return this.get(principal, sku, now.toISOString());
  }

  private async addVersion(tx: EntityManager, item: CatalogItem, dto: AddCatalogPriceDto): Promise<CatalogPrice> {
    const now = new Date();
    const version: WholesalePriceVersion = {
      sku: item.sku,
      unitPrice: dto.unitPrice,
      effectiveFrom: dto.effectiveFrom ?? now,
      effectiveTo: dto.effectiveTo ?? null,
    };
    const items = [toEngineItem(item)];
    assertValidWholesalePrice(version, { items });
    const from = parseInstant(version.effectiveFrom, 'effectiveFrom');
    const to = version.effectiveTo ? parseInstant(version.effectiveTo, 'effectiveTo') : null;
    const refusal = { field: 'effectiveFrom', what: `wholesale price of ${item.sku}` };
    await this.policy.assertAllowed(tx, from, now, { ...refusal, code: PricingErrorCode.EffectiveInPast });

    await lockCatalogPrices(tx);
    const stored = await storedCatalogCurrency(tx);
    const currency = parseCurrency(dto.currency ?? stored ?? 'EUR', 'currency');
    if (stored && currency !== stored) {
      throw DomainError.invalid(MoneyErrorCode.CurrencyMismatch, 'currency', `must be the catalog's currency, ${stored}`);
    }

    const rows = await tx.find(CatalogPrice, { item }, { orderBy: { effectiveFrom: 'asc' } });
    const closing = versionClosedBy(rows, { from, to }, { ...refusal, code: PricingErrorCode.OverlappingVersions });
    if (closing) closing.effectiveTo = from;
    return tx.create(CatalogPrice, {
      item,
      currency,
      unitPrice: dto.unitPrice,
      effectiveFrom: from,
      effectiveTo: to,
    });
  }

  private async item(sku: string): Promise<CatalogItem> {
    const item = await this.em.findOne(CatalogItem, { sku });
    if (!item) throw notFound(sku);
    return item;
  }

  /** Items as the caller may see them: the operator with wholesale prices, a reseller with its own. */
  private async views(principal: Principal, items: CatalogItem[], at: Date): Promise<CatalogItemView[]> {
    const base = (item: CatalogItem): CatalogItemView => ({
      sku: item.sku,
      name: item.name,
      category: item.category,
      unit: item.unit,
      retired: item.retiredAt != null && item.retiredAt.getTime() <= at.getTime(),
      retiredAt: item.retiredAt?.toISOString() ?? null,
      design: item.design ?? null,
    });
    if (principal.partyKind === 'operator') {
      const prices = items.length ? await this.em.find(CatalogPrice, { item: { $in: items }, ...inForceAt(at) }) : [];
      const byItem = new Map(prices.map((price) => [price.item.id, price]));
      return items.map((item) => {
        const price = byItem.get(item.id);
        return { ...base(item), wholesalePrice: price ? WholesalePriceView.of(price, moneyText(price.unitPrice, price.currency)) : null };
      });
    }
    if (principal.partyKind === 'reseller') {
      const prices = await this.resellerPrices(principal.partyId, items, at);
      return items.map((item) => ({ ...base(item), yourPrices: prices.get(item.sku) ?? null }));
    }
    return items.map(base);
  }

  /**
   * A reseller's cost and list price per item, from the engine over its chain. Its cost does not
   * depend on its own client book, so a zero uplift stands in for that book when pricing the cost:
   * a reseller without a client book still sees what it pays.
   */
  private async resellerPrices(resellerId: string, items: CatalogItem[], at: Date): Promise<Map<string, ResellerPricesView | null>> {
    const result = new Map<string, ResellerPricesView | null>();
    if (items.length === 0) return result;
    const window = instantWindow(at);
    const chain = (await resellerChain(this.em, await this.em.findOneOrFail(Party, { id: resellerId }))).map((party) => party.id);
    const catalog = await loadCatalog(
      this.em,
      items.map((item) => item.sku),
      window,
    );
    const books = await loadPriceBooks(this.em, chain, window);
    const context: PricingContext = { catalog, chain: { clientId: `catalog-view:${resellerId}`, resellerIds: chain }, priceBooks: books, clientOverrides: [] };
    const stand: EnginePriceBookVersion = { resellerId, audience: 'clients', defaultUpliftPercent: '0', rules: [], effectiveFrom: at };
    const costContext: PricingContext = {
      ...context,
      priceBooks: [...books.filter((book) => !(book.resellerId === resellerId && book.audience === 'clients')), stand],
    };

    for (const item of items) {
      const cost = priceOrNull(() => resolveUnitPrices(costContext, item.sku, at).tiers.at(-1)!.unitCost);
      const list = cost && priceOrNull(() => resolveUnitPrices(context, item.sku, at).tiers.at(-1)!.unitPrice);
      result.set(item.sku, cost ? { currency: catalog.currency, unitCost: cost.toString(), clientUnitPrice: list?.toString() ?? null } : null);
    }
    return result;
  }
}

/** A price that cannot be worked out (no price or book in force) reads as null, naming nobody above. */
function priceOrNull(price: () => Money): Money | null {
  try {
    return price();
  } catch (error) {
    if (isDomainError(error)) return null;
    throw error;
  }
}

function moneyText(amount: string, currency: string): string {
  return Money.of(amount, currency).toString();
}

function notFound(sku: string): DomainError {
  return DomainError.notFound('CATALOG_ITEM_NOT_FOUND', `no catalog item has SKU ${sku}`);
}
