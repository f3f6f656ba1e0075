import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { APPROVAL_DECISIONS, APPROVAL_TASK_STATUSES, type ApprovalDecisionKind, type ApprovalTaskStatus } from '@wholesail/domain';
import type { ApprovalDecision, ApprovalTask } from '@wholesail/persistence';
import { PageMeta, PageQuery } from '../../common/pagination';

export class ListTasksQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPROVAL_TASK_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(APPROVAL_TASK_STATUSES, { message: `status must be one of: ${APPROVAL_TASK_STATUSES.join(', ')}` })
  status: ApprovalTaskStatus = 'open';

  @ApiPropertyOptional({ description: 'only tasks of this workflow' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  workflowId?: string;
}

export class ListDecisionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only decisions on this task' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  taskId?: string;

  @ApiPropertyOptional({ description: 'only decisions in this workflow' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  workflowId?: string;
}

export class DecideDto {
  @ApiProperty({ enum: APPROVAL_DECISIONS })
  @IsIn(APPROVAL_DECISIONS, { message: `decision must be one of: ${APPROVAL_DECISIONS.join(', ')}` })
  decision!: ApprovalDecisionKind;

  @ApiPropertyOptional({ description: 'required to reject or request changes', maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  comment?: string;
}

export class ApprovalRecordView {
  @ApiProperty() userId!: string;
  @ApiPropertyOptional() email?: string;
  @ApiProperty() decision!: string;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty() at!: string;
}

export class TaskView {
  @ApiProperty() id!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() workflowType!: string;
  @ApiProperty() stepKey!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ description: 'what is asked' }) title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'of whom: the role at the party' }) assignee!: { role: string; partyId: string; mode: string; approverIds: string[] | null };
  @ApiProperty({ description: 'links to the subject' }) subject!: { type: string; id: string; url: string };
  @ApiProperty({ enum: APPROVAL_TASK_STATUSES }) status!: ApprovalTaskStatus;
  @ApiProperty({ description: 'since when' }) openedAt!: string;
  @ApiProperty({ description: 'the deadline' }) dueAt!: string;
  @ApiPropertyOptional({ nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: [ApprovalRecordView] }) approvals!: ApprovalRecordView[];
  @ApiProperty({ description: 'whether the caller may decide it now' }) canDecide!: boolean;

  static of(task: ApprovalTask, canDecide: boolean): TaskView {
    return {
      id: task.id,
      workflowId: task.workflowId,
      workflowType: task.workflowType,
      stepKey: task.stepKey,
      round: task.round,
      title: task.title,
      description: task.description,
      assignee: { role: task.assigneeRole, partyId: task.assigneePartyId, mode: task.mode, approverIds: task.approverIds ?? null },
      subject: { type: task.subjectType, id: task.subjectId, url: task.subjectUrl },
      status: task.status,
      openedAt: task.openedAt.toISOString(),
      dueAt: task.dueAt.toISOString(),
      closedAt: task.closedAt?.toISOString() ?? null,
      approvals: task.approvals,
      canDecide,
    };
  }
}

export class TaskPage {
  @ApiProperty({ type: [TaskView] }) items!: TaskView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class DecisionView {
  @ApiProperty() id!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ enum: APPROVAL_DECISIONS }) decision!: string;
  @ApiPropertyOptional({ nullable: true }) comment!: string | null;
  @ApiProperty() decidedBy!: { userId: string; email: string | null; partyId: string; roles: string[] };
  @ApiProperty() decidedAt!: string;
  @ApiPropertyOptional({ nullable: true, description: 'the task outcome when this decision closed it' }) outcome!: string | null;

  static of(decision: ApprovalDecision): DecisionView {
    return {
      id: decision.id,
      taskId: decision.taskId,
      workflowId: decision.workflowId,
      decision: decision.decision,
      comment: decision.comment ?? null,
      decidedBy: { userId: decision.decidedById, email: decision.decidedByEmail ?? null, partyId: decision.decidedByPartyId, roles: decision.decidedByRoles },
      decidedAt: decision.decidedAt.toISOString(),
      outcome: decision.outcome ?? null,
    };
  }
}

export class DecisionResultView {
  @ApiProperty() taskId!: string;
  @ApiProperty() accepted!: boolean;
  @ApiProperty({ enum: APPROVAL_DECISIONS }) decision!: string;
  @ApiPropertyOptional({ description: 'set when this decision closed the task' }) outcome?: string;
  @ApiProperty({ enum: APPROVAL_TASK_STATUSES }) taskStatus!: string;
  @ApiProperty() decidedAt!: string;
}
