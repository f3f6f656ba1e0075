import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { assertValidPriceBookVersion, DomainError, parseInstant, type PriceBookVersion as EnginePriceBookVersion } from '@wholesail/domain';
import { CatalogItem, fromEngineRule, Party, PriceBookRule, PriceBookVersion, toEngineItem, toEnginePriceBook } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { CreatePriceBookVersionDto, ListPriceBooksQuery } from './dto/price-book.dto';
import { toEngineRuleFromDto } from './dto/price-rule.dto';
import { assertKind, assertMayEditPriceBooks } from './price-access';
import { assertNotInPast, openVersionClosedBy, rangesAfterClosing } from './versioning';

/**
 * Resellers' price books as versions. Readable by the operator, the reseller itself and resellers
 * above it (never a sibling's, never a parent's: invisible books read as 404); changed only by the
 * reseller itself or the operator, by adding a version that closes the open one.
 */
@Injectable()
export class PriceBooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
  ) {}

  async list(principal: Principal, query: ListPriceBooksQuery): Promise<[PriceBookVersion[], number]> {
    const where: FilterQuery<PriceBookVersion>[] = [{ reseller: this.tenancy.visiblePartiesFilter(principal) }];
    if (query.resellerId) {
      const reseller = await this.visibleParty(principal, query.resellerId);
      assertKind(reseller, 'reseller', 'resellerId');
      where.push({ reseller });
    }
    if (query.audience) where.push({ audience: query.audience });
    if (query.inForceAt) {
      const at = parseInstant(query.inForceAt, 'inForceAt');
      where.push({ effectiveFrom: { $lte: at }, $or: [{ effectiveTo: null }, { effectiveTo: { $gt: at } }] });
    }
    return this.em.findAndCount(
      PriceBookVersion,
      { $and: where },
      {
        populate: ['rules', 'rules.item'],
        orderBy: { reseller: { path: 'asc' }, audience: 'asc', effectiveFrom: 'desc' },
        limit: query.pageSize,
        offset: query.offset,
      },
    );
  }

  async get(principal: Principal, id: string): Promise<PriceBookVersion> {
    const version = await this.em.findOne(
      PriceBookVersion,
      { id, reseller: this.tenancy.visiblePartiesFilter(principal) },
      { populate: ['rules', 'rules.item'] },
    );
    if (!version) throw DomainError.notFound('PRICE_BOOK_NOT_FOUND', `price book version ${id} does not exist or is not visible to you`);
    return version;
  }

  async create(principal: Principal, dto: CreatePriceBookVersionDto): Promise<PriceBookVersion> {
    const id = await this.em.transactional(async (tx) => {
      const resellerId = dto.resellerId ?? principal.partyId;
      // Locking the reseller serialises changes to its books, so concurrent versions cannot overlap.
      const reseller = await tx.findOne(Party, { id: resellerId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      this.tenancy.assertCanSee(principal, reseller, resellerId);
      assertKind(reseller, 'reseller', 'resellerId');
      assertMayEditPriceBooks(principal, reseller);

      const now = new Date();
      const rules = dto.rules ?? [];
      const version: EnginePriceBookVersion = {
        resellerId: reseller.id,
        audience: dto.audience,
        defaultUpliftPercent: dto.defaultUpliftPercent,
        effectiveFrom: dto.effectiveFrom ?? now,
        effectiveTo: dto.effectiveTo ?? null,
        rules: rules.map((rule) => ({ sku: rule.sku, ...toEngineRuleFromDto(rule) })),
      };
      const items = await tx.find(CatalogItem, { sku: { $in: [...new Set(rules.map((rule) => rule.sku))] } });
      const engineItems = items.map(toEngineItem);
      assertValidPriceBookVersion(version, { items: engineItems, existing: [] });
      const from = parseInstant(version.effectiveFrom, 'effectiveFrom');
      assertNotInPast(from, now, 'effectiveFrom');

      const rows = await tx.find(
        PriceBookVersion,
        { reseller, audience: dto.audience },
        { populate: ['rules', 'rules.item'], orderBy: { effectiveFrom: 'asc' } },
      );
      const closing = openVersionClosedBy(rows, from);
      assertValidPriceBookVersion(version, { items: engineItems, existing: rangesAfterClosing(rows, closing, from, toEnginePriceBook) });
      if (closing) closing.effectiveTo = from;

      const created = tx.create(PriceBookVersion, {
        reseller,
        audience: dto.audience,
        defaultUpliftPercent: dto.defaultUpliftPercent,
        effectiveFrom: from,
        effectiveTo: version.effectiveTo ? parseInstant(version.effectiveTo, 'effectiveTo') : null,
        createdBy: principal.ref,
      });
      const itemBySku = new Map(items.map((item) => [item.sku, item]));
      for (const rule of rules) tx.create(PriceBookRule, { version: created, item: itemBySku.get(rule.sku)!, ...fromEngineRule(toEngineRuleFromDto(rule)) });
      await tx.flush();
      return created.id;
    });
    return this.get(principal, id);
  }

  private async visibleParty(principal: Principal, id: string): Promise<Party> {
    const party = await this.em.findOne(Party, { id });
    this.tenancy.assertCanSee(principal, party, id);
    return party;
  }
}
