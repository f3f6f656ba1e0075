import { DecimalType, Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { CatalogItem } from './catalog-item.entity';

/**
 * A wholesale price version: in force from `effectiveFrom` (inclusive) until `effectiveTo`
 * (exclusive, open when null). Money is a numeric column read as a decimal string, never a float.
 */
@Entity({ tableName: 'catalog_price' })
@Index({ properties: ['item', 'effectiveFrom'] })
export class CatalogPrice extends BaseEntity {
  @ManyToOne(() => CatalogItem, { deleteRule: 'restrict' })
  // Rel<> keeps decorator metadata from touching CatalogItem while the two modules load each other.
  item!: Rel<CatalogItem>;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: new DecimalType('string'), precision: 20, scale: 6 })
  unitPrice!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  effectiveFrom!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  effectiveTo?: Date | null;
}
