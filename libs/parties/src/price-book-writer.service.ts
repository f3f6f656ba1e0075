import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  assertValidPriceBookVersion,
  DomainError,
  parseInstant,
  PricingErrorCode,
  versionClosedBy,
  type Instant,
  type PriceBookAudience,
  type PriceRule,
  type PriceBookVersion as EnginePriceBookVersion,
} from '@wholesail/domain';
import { CatalogItem, EffectiveDatePolicy, fromEngineRule, PriceBookRule, PriceBookVersion, toEngineItem, type Party } from '@wholesail/persistence';
import { lockedParty } from './party-writer.service';

export interface NewPriceBookVersion {
  audience: PriceBookAudience;
  defaultUpliftPercent: string;
  rules?: readonly (PriceRule<string> & { sku: string })[];
  /** Default now; never before the EffectiveDatePolicy's earliest instant. */
  effectiveFrom?: Instant;
  effectiveTo?: Instant | null;
  /** "user:<id>", "api-key:<id>", "onboarding:<applicationId>". */
  createdBy: string;
}

/**
 * Versions of a reseller's price books, written by the API (the reseller itself, the operator) and
 * by onboarding (a new reseller's default books). The engine validates the values and SKUs; the
 * versioned-record rule places the version: it ends the open one where it starts, never overlaps.
 */
@Injectable()
export class PriceBookWriter {
  constructor(private readonly policy: EffectiveDatePolicy) {}

  async addVersion(tx: EntityManager, reseller: Party, input: NewPriceBookVersion): Promise<PriceBookVersion> {
    const now = new Date();
    // Locking the reseller serialises changes to its books, so concurrent versions cannot overlap.
    const owner = await lockedParty(tx, reseller);
    if (owner.kind !== 'reseller') throw DomainError.invalid(PricingErrorCode.NotAReseller, 'resellerId', 'is not a reseller');
    const rules = input.rules ?? [];
    const version: EnginePriceBookVersion = {
      resellerId: owner.id,
      audience: input.audience,
      defaultUpliftPercent: input.defaultUpliftPercent,
      effectiveFrom: input.effectiveFrom ?? now,
      effectiveTo: input.effectiveTo ?? null,
      rules,
    };
    const items = await tx.find(CatalogItem, { sku: { $in: [...new Set(rules.map((rule) => rule.sku))] } });
    assertValidPriceBookVersion(version, { items: items.map(toEngineItem) });
    const from = parseInstant(version.effectiveFrom, 'effectiveFrom');
    const to = version.effectiveTo != null ? parseInstant(version.effectiveTo, 'effectiveTo') : null;
    const refusal = { field: 'effectiveFrom', what: `${input.audience === 'clients' ? 'client' : 'sub-reseller'} price book` };
    await this.policy.assertAllowed(tx, from, now, { ...refusal, code: PricingErrorCode.EffectiveInPast });

    const rows = await tx.find(PriceBookVersion, { reseller: owner, audience: input.audience }, { orderBy: { effectiveFrom: 'asc' } });
    const closing = versionClosedBy(rows, { from, to }, { ...refusal, code: PricingErrorCode.OverlappingVersions });
    if (closing) closing.effectiveTo = from;

    const created = tx.create(PriceBookVersion, {
      reseller: owner,
      audience: input.audience,
      defaultUpliftPercent: input.defaultUpliftPercent,
      effectiveFrom: from,
      effectiveTo: to,
      createdBy: input.createdBy,
    });
    const itemBySku = new Map(items.map((item) => [item.sku, item]));
    for (const rule of rules) tx.create(PriceBookRule, { version: created, item: itemBySku.get(rule.sku)!, ...fromEngineRule(rule) });
    await tx.flush();
    return created;
  }
}
