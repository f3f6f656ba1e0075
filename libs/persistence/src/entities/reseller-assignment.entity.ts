import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

/**
 * Which distributor a top-level reseller belongs to, and since when. Moving a reseller closes the
 * current row and opens a new one from a given date, so past periods keep their distributor.
 * `distributor` null means recruited directly by the operator.
 */
@Entity({ tableName: 'reseller_assignment' })
@Index({ properties: ['reseller', 'effectiveFrom'] })
export class ResellerAssignment extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'cascade' })
  reseller!: Rel<Party>;

  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  distributor?: Rel<Party> | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  effectiveFrom!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  effectiveTo?: Date | null;
}
