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
  @ApiProperty() partyId!: string;
  @ApiPropertyOptional() email?: string;
  @ApiProperty({ enum: APPROVAL_DECISIONS }) decision!: string;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty() at!: string;
}

export class TaskAssigneeView {
  @ApiProperty({ description: 'the role that decides' }) role!: string;
  @ApiProperty({ description: 'at this party' }) partyId!: string;
  @ApiProperty({ description: 'whether any one holder of the role decides, or all of them must approve' }) mode!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'for all-of tasks: the users who must approve' }) approverIds!: string[] | null;
}

export class TaskSubjectView {
  @ApiProperty({ example: 'application' }) type!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ example: '/applications/6c1e…' }) url!: string;
}

export class DecidedByView {
  @ApiProperty() userId!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty() partyId!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

export class TaskView {
  @ApiProperty() id!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() workflowType!: string;
  @ApiProperty() stepKey!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ description: 'what is asked' }) title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: TaskAssigneeView, description: 'of whom: the role at the party' }) assignee!: TaskAssigneeView;
  @ApiProperty({ type: TaskSubjectView, description: 'links to the subject' }) subject!: TaskSubjectView;
  @ApiProperty({ enum: APPROVAL_TASK_STATUSES }) status!: ApprovalTaskStatus;
  @ApiProperty({ description: 'since when' }) openedAt!: string;
  @ApiProperty({ description: 'the deadline' }) dueAt!: string;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
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
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ type: DecidedByView }) decidedBy!: DecidedByView;
  @ApiProperty() decidedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the task outcome when this decision closed it' }) outcome!: string | null;

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

export class DecisionPage {
  @ApiProperty({ type: [DecisionView] }) items!: DecisionView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class DecisionResultView {
  @ApiProperty() taskId!: string;
  @ApiProperty() accepted!: boolean;
  @ApiProperty({ enum: APPROVAL_DECISIONS }) decision!: string;
  @ApiPropertyOptional({ description: 'set when this decision closed the task' }) outcome?: string;
  @ApiProperty({ enum: APPROVAL_TASK_STATUSES }) taskStatus!: string;
  @ApiProperty() decidedAt!: string;
}
