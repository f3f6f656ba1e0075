import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import {
  assertValidClientOverride,
  DomainError,
  parseInstant,
  PricingErrorCode,
  versionClosedBy,
  type ClientPriceOverride as EngineClientOverride,
} from '@wholesail/domain';
import { CatalogItem, ClientPriceOverride, EffectiveDatePolicy, fromEngineRule, inForceAt, Party, toEngineItem } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { CreateClientOverrideDto, EndClientOverrideDto, ListClientOverridesQuery } from './dto/client-override.dto';
import { toEngineRuleFromDto } from './dto/price-rule.dto';
import { assertKind, assertMayEditClientOverrides } from './price-access';

/**
 * Prices negotiated with one client for one item. Readable by the operator and the resellers above
 * the client; set and ended only by the client's own reseller (or the operator).
 */
@Injectable()
export class ClientOverridesService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly policy: EffectiveDatePolicy,
  ) {}

  async list(principal: Principal, query: ListClientOverridesQuery): Promise<[ClientPriceOverride[], number]> {
    const where: FilterQuery<ClientPriceOverride>[] = [{ client: this.tenancy.visiblePartiesFilter(principal) }];
    if (query.clientId) {
      const client = await this.em.findOne(Party, { id: query.clientId });
      this.tenancy.assertCanSee(principal, client, query.clientId);
      assertKind(client, 'client', 'clientId');
      where.push({ client });
    }
    if (query.sku) where.push({ item: { sku: query.sku } });
    if (query.inForceAt) where.push(inForceAt(parseInstant(query.inForceAt, 'inForceAt')));
    return this.em.findAndCount(
      ClientPriceOverride,
      { $and: where },
      { populate: ['item'], orderBy: { effectiveFrom: 'desc', id: 'asc' }, limit: query.pageSize, offset: query.offset },
    );
  }

  async get(principal: Principal, id: string): Promise<ClientPriceOverride> {
    const override = await this.em.findOne(ClientPriceOverride, { id, client: this.tenancy.visiblePartiesFilter(principal) }, { populate: ['item', 'client'] });
    if (!override) throw DomainError.notFound('CLIENT_OVERRIDE_NOT_FOUND', `client override ${id} does not exist or is not visible to you`);
    return override;
  }

  async create(principal: Principal, dto: CreateClientOverrideDto): Promise<ClientPriceOverride> {
    const id = await this.em.transactional(async (tx) => {
      // Locking the client serialises changes to its overrides, so concurrent ones cannot overlap.
      const client = await tx.findOne(Party, { id: dto.clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      this.tenancy.assertCanSee(principal, client, dto.clientId);
      assertKind(client, 'client', 'clientId');
      assertMayEditClientOverrides(principal, client);

      const now = new Date();
      const rule = toEngineRuleFromDto(dto);
      const override: EngineClientOverride = {
        clientId: client.id,
        sku: dto.sku,
        effectiveFrom: dto.effectiveFrom ?? now,
        effectiveTo: dto.effectiveTo ?? null,
        ...rule,
      };
      const item = await tx.findOne(CatalogItem, { sku: dto.sku });
      const items = item ? [toEngineItem(item)] : [];
      assertValidClientOverride(override, { items });
      const from = parseInstant(override.effectiveFrom, 'effectiveFrom');
      const to = override.effectiveTo ? parseInstant(override.effectiveTo, 'effectiveTo') : null;
      const refusal = { field: 'effectiveFrom', what: `negotiated price for ${dto.sku}` };
      await this.policy.assertAllowed(tx, from, now, { ...refusal, code: PricingErrorCode.EffectiveInPast });

      const rows = await tx.find(ClientPriceOverride, { client, item: item! }, { orderBy: { effectiveFrom: 'asc' } });
      const closing = versionClosedBy(rows, { from, to }, { ...refusal, code: PricingErrorCode.OverlappingVersions });
      if (closing) closing.effectiveTo = from;

      const created = tx.create(ClientPriceOverride, {
        client,
        item: item!,
        ...fromEngineRule(rule),
        effectiveFrom: from,
        effectiveTo: to,
        createdBy: principal.ref,
      });
      await tx.flush();
      return created.id;
    });
    return this.get(principal, id);
  }

  /** Ends a negotiated price (now or later); it can only be shortened, never reach into the past. */
  async end(principal: Principal, id: string, dto: EndClientOverrideDto): Promise<ClientPriceOverride> {
    const visible = await this.get(principal, id);
    assertMayEditClientOverrides(principal, visible.client);
    const now = new Date();
    const end = dto.effectiveTo ? parseInstant(dto.effectiveTo, 'effectiveTo') : now;
    await this.em.transactional(async (tx) => {
      // Locking the client serialises changes to its overrides (as creating one does).
      await tx.findOneOrFail(Party, { id: visible.client.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const override = await tx.findOneOrFail(ClientPriceOverride, { id }, { refresh: true });
      await this.policy.assertAllowed(tx, end, now, { code: PricingErrorCode.EffectiveInPast, field: 'effectiveTo', what: 'negotiated price' });
      if (override.effectiveTo && override.effectiveTo.getTime() <= end.getTime()) {
        throw DomainError.conflict('CLIENT_OVERRIDE_ENDED', `override ${id} already ends at ${override.effectiveTo.toISOString()}`, [
          { field: 'effectiveTo', problem: 'must be before the override’s current end' },
        ]);
      }
      if (end.getTime() <= override.effectiveFrom.getTime()) {
        throw DomainError.invalid(PricingErrorCode.InvalidRange, 'effectiveTo', `must be after the override's start (${override.effectiveFrom.toISOString()})`);
      }
      override.effectiveTo = end;
    });
    return this.em.fork().findOneOrFail(ClientPriceOverride, { id }, { populate: ['item', 'client'] });
  }
}
