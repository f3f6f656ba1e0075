import { ArrayType, Entity, Enum, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { APPROVAL_TASK_STATUSES, type ApprovalMode, type ApprovalRecord, type ApprovalTaskStatus, type Role } from '@wholesail/domain';

/**
 * A human step of any workflow, as the approval inbox shows it. Written only by the approval
 * activities (activities/approvals; id = approvalTaskId(businessKey, stepKey, round), so re-opening
 * is idempotent); a decision always goes through the workflow's `decide` update, which validates it.
 */
@Entity({ tableName: 'approval_task' })
@Index({ properties: ['assigneePartyId', 'status'] })
@Index({ properties: ['workflowId'] })
export class ApprovalTask {
  @PrimaryKey({ type: 'string', length: 300 })
  id!: string;

  @Property({ type: 'string', length: 200 })
  workflowId!: string;

  @Property({ type: 'string', length: 60 })
  workflowType!: string;

  @Property({ type: 'string', length: 60 })
  stepKey!: string;

  @Property({ type: 'integer' })
  round!: number;

  @Property({ type: 'string', length: 300 })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'string', length: 60 })
  subjectType!: string;

  @Property({ type: 'string', length: 100 })
  subjectId!: string;

  @Property({ type: 'string', length: 500 })
  subjectUrl!: string;

  @Property({ type: 'string', length: 40 })
  assigneeRole!: Role;

  @Property({ type: 'uuid' })
  assigneePartyId!: string;

  @Property({ type: 'string', length: 10 })
  mode!: ApprovalMode;

  /** The named approvers ("all of" tasks, or an "any one" task narrowed to some users). */
  @Property({ type: ArrayType, columnType: 'text[]', nullable: true })
  approverIds?: string[] | null;

  /** Approvals collected so far. */
  @Property({ type: 'json' })
  approvals: ApprovalRecord[] & Opt = [];

  @Enum({ items: () => APPROVAL_TASK_STATUSES, nativeEnumName: 'approval_task_status', default: 'open' })
  status: ApprovalTaskStatus & Opt = 'open';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  openedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  dueAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Property({ type: 'integer', default: 0 })
  remindersSent: number & Opt = 0;
}
