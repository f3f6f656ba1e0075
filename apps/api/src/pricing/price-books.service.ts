import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { DomainError, parseInstant } from '@wholesail/domain';
import { PriceBookWriter } from '@wholesail/parties';
import { inForceAt, Party, PriceBookVersion } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { CreatePriceBookVersionDto, ListPriceBooksQuery } from './dto/price-book.dto';
import { toEngineRuleFromDto } from './dto/price-rule.dto';
import { assertKind, assertMayEditPriceBooks } from './price-access';

/**
 * Resellers' price books as versions. Readable by the operator, the reseller itself and resellers
 * above it (never a sibling's, never a parent's: invisible books read as 404); changed only by the
 * reseller itself or the operator, through the PriceBookWriter (libs/parties, shared with
 * onboarding), by adding a version that closes the open one.
 */
@Injectable()
export class PriceBooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly writer: PriceBookWriter,
  ) {}

  async list(principal: Principal, query: ListPriceBooksQuery): Promise<[PriceBookVersion[], number]> {
    const where: FilterQuery<PriceBookVersion>[] = [{ reseller: this.tenancy.visiblePartiesFilter(principal) }];
    if (query.resellerId) {
      const reseller = await this.visibleParty(principal, query.resellerId);
      assertKind(reseller, 'reseller', 'resellerId');
      where.push({ reseller });
    }
    if (query.audience) where.push({ audience: query.audience });
    if (query.inForceAt) where.push(inForceAt(parseInstant(query.inForceAt, 'inForceAt')));
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
      const reseller = await tx.findOne(Party, { id: resellerId });
      this.tenancy.assertCanSee(principal, reseller, resellerId);
      assertKind(reseller, 'reseller', 'resellerId');
      assertMayEditPriceBooks(principal, reseller);
      const created = await this.writer.addVersion(tx, reseller, {
        audience: dto.audience,
        defaultUpliftPercent: dto.defaultUpliftPercent,
        rules: (dto.rules ?? []).map((rule) => ({ sku: rule.sku, ...toEngineRuleFromDto(rule) })),
        effectiveFrom: dto.effectiveFrom,
        effectiveTo: dto.effectiveTo,
        createdBy: principal.ref,
      });
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
