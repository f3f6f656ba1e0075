import { Collection, Entity, Enum, OneToMany, Opt, Property, Unique } from '@mikro-orm/core';
import type { DesignAttributes } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { CatalogPrice } from './catalog-price.entity';

export const CATALOG_CATEGORIES = ['compute', 'storage', 'network', 'licence', 'service'] as const;
export type CatalogCategory = (typeof CATALOG_CATEGORIES)[number];

/** An item of the operator's wholesale catalog. Retired, never deleted once used. */
@Entity({ tableName: 'catalog_item' })
export class CatalogItem extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  @Unique()
  sku!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => CATALOG_CATEGORIES, nativeEnumName: 'catalog_category' })
  category!: CatalogCategory;

  /** The unit a quantity counts, e.g. "vCPU", "GB", "instance". Prices are per unit per month. */
  @Property({ type: 'string', length: 40 })
  unit!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  retiredAt?: Date | null;

  /** What the item is in a solution design (a VM template with its limits, an OS licence, a unit of vCPU, …); null: not designable. */
  @Property({ type: 'json', nullable: true })
  design?: DesignAttributes | null;

  @OneToMany(() => CatalogPrice, (price) => price.item)
  prices: Collection<CatalogPrice> & Opt = new Collection<CatalogPrice>(this);
}
