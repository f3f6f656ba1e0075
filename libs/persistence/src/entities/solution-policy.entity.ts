import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import type { SolutionPolicy } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

/** A reseller's solution policy (libs/domain/src/designs/solution-policy.ts); a reseller without one has the default. */
@Entity({ tableName: 'solution_policy' })
export class SolutionPolicyRecord extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  @Unique()
  reseller!: Rel<Party>;

  @Property({ type: 'json' })
  policy!: SolutionPolicy;

  /** "user:<id>" of the last change. */
  @Property({ type: 'string', length: 100 })
  updatedBy!: string;
}
