import { Check, Collection, DecimalType, Entity, Enum, Index, ManyToOne, OneToMany, Opt, Property, type Rel } from '@mikro-orm/core';
import { PRICE_BOOK_AUDIENCES, type PriceBookAudience } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';
import { PriceBookRule } from './price-book-rule.entity';

/**
 * One version of a reseller's price book for one audience (its clients, or the sub-resellers
 * directly below it), in force over [effectiveFrom, effectiveTo). A version is complete: its
 * default uplift and rules replace the previous version's, so an invoice names the one it used.
 * Versions are never edited: a change is a new version, which closes the open one at its start.
 */
@Entity({ tableName: 'price_book_version' })
@Index({ properties: ['reseller', 'audience', 'effectiveFrom'] })
@Check({ name: 'price_book_version_range_check', expression: 'effective_to is null or effective_to > effective_from' })
export class PriceBookVersion extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  reseller!: Rel<Party>;

  @Enum({ items: () => PRICE_BOOK_AUDIENCES, nativeEnumName: 'price_book_audience' })
  audience!: PriceBookAudience;

  /** Percent over cost for items without a rule; also sets the list price discounts come off. */
  @Property({ type: new DecimalType('string'), precision: 12, scale: 6 })
  defaultUpliftPercent!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  effectiveFrom!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  effectiveTo?: Date | null;

  /** "user:<id>" or "api-key:<id>" (or "seed"). */
  @Property({ type: 'string', length: 100 })
  createdBy!: string;

  @OneToMany(() => PriceBookRule, (rule) => rule.version, { orphanRemoval: true })
  rules: Collection<PriceBookRule> & Opt = new Collection<PriceBookRule>(this);
}
