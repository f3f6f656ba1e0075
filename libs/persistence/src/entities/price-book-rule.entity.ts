import { DecimalType, Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import type { PriceRuleKind } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { CatalogItem } from './catalog-item.entity';
import { PriceBookVersion } from './price-book-version.entity';

export const PRICE_RULE_KINDS: readonly PriceRuleKind[] = ['uplift', 'discount', 'fixed'];

/**
 * A price book's rule for one item. `value` is the uplift %, the discount % or the fixed unit
 * price per month, as `kind` says (see libs/domain/src/pricing/price-rule.ts).
 */
@Entity({ tableName: 'price_book_rule' })
@Unique({ properties: ['version', 'item'] })
export class PriceBookRule extends BaseEntity {
  @ManyToOne(() => PriceBookVersion, { deleteRule: 'cascade' })
  version!: Rel<PriceBookVersion>;

  // Restrict: an item a price book has used is retired, never deleted.
  @ManyToOne(() => CatalogItem, { deleteRule: 'restrict' })
  item!: Rel<CatalogItem>;

  @Enum({ items: () => PRICE_RULE_KINDS, nativeEnumName: 'price_rule_kind' })
  kind!: PriceRuleKind;

  @Property({ type: new DecimalType('string'), precision: 20, scale: 6 })
  value!: string;
}
