import { Check, DecimalType, Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { CatalogItem } from './catalog-item.entity';
import { Party } from './party.entity';
import type { PriceRuleKind } from '@wholesail/domain';
import { PRICE_RULE_KINDS } from './price-book-rule.entity';

/**
 * A price negotiated with one client for one item, set by the client's reseller. It replaces the
 * client book's rule for that item (a discount is still off the book's list price), in force over
 * [effectiveFrom, effectiveTo); a new one closes the open one at its start.
 */
@Entity({ tableName: 'client_price_override' })
@Index({ properties: ['client', 'item', 'effectiveFrom'] })
@Check({ name: 'client_price_override_range_check', expression: 'effective_to is null or effective_to > effective_from' })
export class ClientPriceOverride extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  client!: Rel<Party>;

  @ManyToOne(() => CatalogItem, { deleteRule: 'restrict' })
  item!: Rel<CatalogItem>;

  @Enum({ items: () => PRICE_RULE_KINDS, nativeEnumName: 'price_rule_kind' })
  kind!: PriceRuleKind;

  /** The uplift %, the discount % or the fixed unit price, as `kind` says. */
  @Property({ type: new DecimalType('string'), precision: 20, scale: 6 })
  value!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  effectiveFrom!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  effectiveTo?: Date | null;

  @Property({ type: 'string', length: 100 })
  createdBy!: string;
}
