import { DecimalType, Entity, Enum, Index, ManyToOne, Opt, Property, Unique, type Rel } from '@mikro-orm/core';
import { DESIGN_VERSION_STATUSES, type DesignGraph, type DesignVersionStatus, type Quote } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Solution } from './solution.entity';

/**
 * One saved version of a solution's design. The graph, its number, author and creation instant
 * never change (a database trigger refuses it); the status follows the approval case. At most one
 * version of a solution is approved (a partial unique index): approving a later one supersedes it.
 */
@Entity({ tableName: 'design_version' })
@Unique({ properties: ['solution', 'version'] })
@Unique({
  name: 'design_version_one_approved',
  expression: `create unique index "design_version_one_approved" on "design_version" ("solution_id") where "status" = 'approved'`,
})
@Index({ properties: ['solution', 'status'] })
export class DesignVersion extends BaseEntity {
  @ManyToOne(() => Solution, { deleteRule: 'restrict' })
  solution!: Rel<Solution>;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'json' })
  graph!: DesignGraph;

  @Property({ type: 'uuid' })
  authorId!: string;

  @Property({ type: 'string', length: 320 })
  authorEmail!: string;

  /** The architect's note on what changed. */
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Enum({ items: () => DESIGN_VERSION_STATUSES, nativeEnumName: 'design_version_status', default: 'draft' })
  status: DesignVersionStatus & Opt = 'draft';

  /** The round it was submitted in. */
  @Property({ type: 'integer', nullable: true })
  round?: number | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  /** The quote at submission, every tier (the API shows each caller its own view of it). */
  @Property({ type: 'json', nullable: true })
  quote?: Quote | null;

  /** The client's monthly total in the quote, and its currency. */
  @Property({ type: new DecimalType('string'), precision: 20, scale: 6, nullable: true })
  monthlyTotal?: string | null;

  @Property({ type: 'string', length: 3, nullable: true })
  currency?: string | null;

  @Property({ type: 'integer', nullable: true })
  vcpus?: number | null;
}
