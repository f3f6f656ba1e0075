import { ArrayType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Role } from '@wholesail/domain';

/** Who decided what on which task, and when. Written once per decision (id from the workflow). */
@Entity({ tableName: 'approval_decision' })
@Index({ properties: ['taskId'] })
@Index({ properties: ['workflowId'] })
export class ApprovalDecision {
  @PrimaryKey({ type: 'string', length: 300 })
  id!: string;

  @Property({ type: 'string', length: 300 })
  taskId!: string;

  @Property({ type: 'string', length: 200 })
  workflowId!: string;

  @Property({ type: 'string', length: 20 })
  decision!: 'approve' | 'reject' | 'request-changes';

  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Property({ type: 'uuid' })
  decidedById!: string;

  @Property({ type: 'string', length: 320, nullable: true })
  decidedByEmail?: string | null;

  @Property({ type: 'uuid' })
  decidedByPartyId!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  decidedByRoles!: Role[];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  decidedAt!: Date;

  /** The task's outcome when this decision closed it. */
  @Property({ type: 'string', length: 30, nullable: true })
  outcome?: string | null;
}
