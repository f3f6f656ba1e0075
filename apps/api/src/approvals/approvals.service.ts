import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { Principal } from '@wholesail/auth';
import { decideUpdate, type DecisionResult } from '@wholesail/contracts';
import { ApprovalErrorCode, DomainError, isEligible, type DomainErrorKind } from '@wholesail/domain';
import { ApprovalDecision, ApprovalTask, Party } from '@wholesail/persistence';
import { executeUpdateOrRefuse, TEMPORAL_CLIENT } from '@wholesail/temporal';
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
    if (!task || !(await this.canView(principal, task)))
      throw DomainError.notFound(ApprovalErrorCode.UnknownTask, `task ${id} does not exist or is not visible to you`);
    return task;
  }

  canDecide(principal: Principal, task: ApprovalTask): boolean {
    return (
      task.status === 'open' &&
      principal.type === 'user' &&
      isEligible(
        { role: task.assigneeRole, partyId: task.assigneePartyId, mode: task.mode, approverIds: task.approverIds ?? undefined },
        { userId: principal.id, partyId: principal.partyId, roles: principal.roles },
      )
    );
  }

  async decide(principal: Principal, id: string, dto: DecideDto): Promise<DecisionResult> {
    if (principal.type !== 'user') throw DomainError.forbidden(ApprovalErrorCode.NotYours, 'decisions are made by people: sign in as a user');
    const task = await this.task(principal, id);
    // The task row names the workflow that opened it, whatever its type: that workflow decides.
    return executeUpdateOrRefuse(
      () =>
        this.temporal.workflow.getHandle(task.workflowId).executeUpdate(decideUpdate, {
          args: [
            {
              taskId: task.id,
              decision: dto.decision,
              comment: dto.comment,
              decider: { userId: principal.id, email: principal.email, partyId: principal.partyId, roles: principal.roles },
            },
          ],
        }),
      {
        kinds: REFUSAL_KIND,
        fallbackCode: 'APPROVAL_REFUSED',
        ended: () => DomainError.conflict(ApprovalErrorCode.AlreadyDecided, `task ${task.id} is no longer open: its process has ended`),
      },
    );
  }

  async decisions(principal: Principal, filter: { taskId?: string; workflowId?: string }, page: PageQuery): Promise<[ApprovalDecision[], number]> {
    const visibleTaskIds = (await this.visibleTasks(principal, filter)).map((t) => t.id);
    if (visibleTaskIds.length === 0) return [[], 0];
    return this.em.findAndCount(
      ApprovalDecision,
      { taskId: { $in: visibleTaskIds } },
      { orderBy: { decidedAt: 'desc', id: 'asc' }, limit: page.pageSize, offset: page.offset },
    );
  }

  private async visibleTasks(principal: Principal, filter: { taskId?: string; workflowId?: string }): Promise<ApprovalTask[]> {
    const tasks = await this.em.find(
      ApprovalTask,
      { ...(filter.taskId ? { id: filter.taskId } : {}), ...(filter.workflowId ? { workflowId: filter.workflowId } : {}) },
      { limit: 1000 },
    );
    const assignees = new Map((await this.em.find(Party, { id: { $in: [...new Set(tasks.map((t) => t.assigneePartyId))] } })).map((p) => [p.id, p]));
    return tasks.filter((task) => this.isVisible(principal, assignees.get(task.assigneePartyId)));
  }

  private async canView(principal: Principal, task: ApprovalTask): Promise<boolean> {
    return this.isVisible(principal, await this.em.findOne(Party, { id: task.assigneePartyId }));
  }

  /** A task is visible to whoever can see its assignee party: that party and those above it. */
  private isVisible(principal: Principal, assignee: Party | null | undefined): boolean {
    return !!assignee && this.tenancy.canSee(principal, assignee);
  }
}
