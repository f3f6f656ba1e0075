import { Entity, Enum, Index, ManyToOne, Opt, Property, Unique, type Rel } from '@mikro-orm/core';
import type { SolutionChangesRequested } from '@wholesail/contracts';
import { SOLUTION_STATUSES, type SolutionStatus } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

/**
 * A client's solution: named, designed in immutable versions (DesignVersion) and approved through
 * the case `solution-approval:<id>` (workflowId), which moves `status`. `round` is the last round
 * submitted (task ids carry it, across case runs); `latestVersion` numbers the versions.
 */
@Entity({ tableName: 'solution' })
@Index({ properties: ['client'] })
@Unique({ name: 'solution_client_name_unique', expression: `create unique index "solution_client_name_unique" on "solution" ("client_id", lower("name"))` })
export class Solution extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  client!: Rel<Party>;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => SOLUTION_STATUSES, nativeEnumName: 'solution_status', default: 'draft' })
  status: SolutionStatus & Opt = 'draft';

  @Property({ type: 'string', length: 200 })
  workflowId!: string;

  @Property({ type: 'integer', default: 0 })
  round: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  latestVersion: number & Opt = 0;

  /** The version the case is about (under review, or the last one decided). */
  @Property({ type: 'integer', nullable: true })
  currentVersion?: number | null;

  @Property({ type: 'integer', nullable: true })
  approvedVersion?: number | null;

  @Property({ type: 'text', nullable: true })
  statusReason?: string | null;

  @Property({ type: 'json', nullable: true })
  changesRequested?: SolutionChangesRequested | null;

  /** "user:<id>" of the creator. */
  @Property({ type: 'string', length: 100 })
  createdBy!: string;
}
