import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Principal } from '@wholesail/auth';
import { decideUpdate, parseApprovalTaskId, type DecisionResult } from '@wholesail/contracts';
import { ApprovalErrorCode, DomainError, isEligible, type DomainErrorKind } from '@wholesail/domain';
import { ApprovalDecision, ApprovalTask, Party } from '@wholesail/persistence';
import { TEMPORAL_CLIENT } from '@wholesail/temporal';
import { PageQuery } from '../common/pagination';
import { TenancyService } from '../tenancy/tenancy.service';
import type { DecideDto, ListTasksQuery } from './dto/approval.dto';

/** How each refusal of a workflow's `decide` validator reads over HTTP. */
const REFUSAL_KIND: Record<string, DomainErrorKind> = {
  [ApprovalErrorCode.NotYours]: 'forbidden',
  [ApprovalErrorCode.AlreadyDecided]: 'conflict',
  [ApprovalErrorCode.Expired]: 'conflict',
  [ApprovalErrorCode.UnknownTask]: 'not-found',
  [ApprovalErrorCode.CommentRequired]: 'invalid',
  [ApprovalErrorCode.InvalidDecision]: 'invalid',
};

/**
 * The approval inbox, generic over every workflow with human steps. Tasks and decisions are read
 * from the tables the workflows' activities keep; a decision is sent to the owning workflow as a
 * Temporal Update, whose validator gives the definite answer.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Tasks the caller may decide: its party, one of its roles, and (when named) its user id. */
  async inbox(principal: Principal, query: ListTasksQuery): Promise<[ApprovalTask[], number]> {
    const where: FilterQuery<ApprovalTask> = {
      assigneePartyId: principal.partyId,
      assigneeRole: { $in: principal.roles },
      status: query.status,
      $or: [{ approverIds: null }, { approverIds: { $contains: [principal.id] } }],
      ...(query.workflowId ? { workflowId: query.workflowId } : {}),
    };
    return this.em.findAndCount(ApprovalTask, where, { orderBy: { dueAt: 'asc', id: 'asc' }, limit: query.pageSize, offset: query.offset });
  }

  /** One task: visible to whoever may decide it and to parties above its assignee. */
  async task(principal: Principal, id: string): Promise<ApprovalTask> {
    const task = await this.em.findOne(ApprovalTask, { id });
    if (!task || !(await this.canView(principal, task))) throw DomainError.notFound('APPROVAL_UNKNOWN_TASK', `task ${id} does not exist or is not visible to you`);
    return task;
  }

  canDecide(principal: Principal, task: ApprovalTask): boolean {
    return task.status === 'open' && principal.type === 'user' && isEligible({ role: task.assigneeRole, partyId: task.assigneePartyId, mode: task.mode, approverIds: task.approverIds ?? undefined }, { userId: principal.id, partyId: principal.partyId, roles: principal.roles });
  }

  async decide(principal: Principal, id: string, dto: DecideDto): Promise<DecisionResult> {
    if (principal.type !== 'user') throw DomainError.forbidden(ApprovalErrorCode.NotYours, 'decisions are made by people: sign in as a user');
    const task = await this.task(principal, id);
    const parsed = parseApprovalTaskId(task.id);
    if (!parsed) throw DomainError.notFound(ApprovalErrorCode.UnknownTask, `task ${id} is malformed`);
    try {
      return await this.temporal.workflow.getHandle(parsed.workflowId).executeUpdate(decideUpdate, {
        args: [{ taskId: task.id, decision: dto.decision, comment: dto.comment, decider: { userId: principal.id, email: principal.email, partyId: principal.partyId, roles: principal.roles } }],
      });
    } catch (error) {
      throw this.refusal(error, task);
    }
  }

  async decisions(principal: Principal, filter: { taskId?: string; workflowId?: string }, page: PageQuery): Promise<[ApprovalDecision[], number]> {
    const visibleTaskIds = (await this.visibleTasks(principal, filter)).map((t) => t.id);
    if (visibleTaskIds.length === 0) return [[], 0];
    return this.em.findAndCount(ApprovalDecision, { taskId: { $in: visibleTaskIds } }, { orderBy: { decidedAt: 'desc', id: 'asc' }, limit: page.pageSize, offset: page.offset });
  }

  private async visibleTasks(principal: Principal, filter: { taskId?: string; workflowId?: string }): Promise<ApprovalTask[]> {
    const tasks = await this.em.find(ApprovalTask, { ...(filter.taskId ? { id: filter.taskId } : {}), ...(filter.workflowId ? { workflowId: filter.workflowId } : {}) }, { limit: 1000 });
    const assigneeIds = [...new Set(tasks.map((t) => t.assigneePartyId))];
    const paths = new Map((await this.em.find(Party, { id: { $in: assigneeIds } }, { fields: ['id', 'path'] })).map((p) => [p.id, p.path]));
    return tasks.filter((task) => this.isVisible(principal, task, paths.get(task.assigneePartyId)));
  }

  private async canView(principal: Principal, task: ApprovalTask): Promise<boolean> {
    if (task.assigneePartyId === principal.partyId) return true;
    const assignee = await this.em.findOne(Party, { id: task.assigneePartyId }, { fields: ['id', 'path'] });
    return this.isVisible(principal, task, assignee?.path);
  }

  /** A task is visible to its assignee party and to parties above it (agents see none but their own). */
  private isVisible(principal: Principal, task: ApprovalTask, assigneePath: string | undefined): boolean {
    if (task.assigneePartyId === principal.partyId) return true;
    return assigneePath !== undefined && principal.partyKind !== 'agent' && assigneePath.startsWith(principal.partyPath);
  }

  private refusal(error: unknown, task: ApprovalTask): unknown {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as { type?: string; message?: string } | undefined;
      const code = cause?.type ?? 'APPROVAL_REFUSED';
      return new DomainError(code, cause?.message ?? 'the decision was refused', [], REFUSAL_KIND[code] ?? 'conflict');
    }
    if (error instanceof WorkflowNotFoundError || (error as { name?: string })?.name === 'WorkflowNotFoundError') {
      return DomainError.conflict(ApprovalErrorCode.AlreadyDecided, `task ${task.id} is no longer open: its process has ended`);
    }
    return error;
  }
}
