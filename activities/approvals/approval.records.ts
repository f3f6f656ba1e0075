import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ApprovalTaskView, RecordDecisionInput } from '@wholesail/contracts';
import { ApprovalErrorCode, DomainError, stripControlCharacters, type ApprovalClosure, type ApprovalPolicy, type Role } from '@wholesail/domain';
import { ApprovalDecision, ApprovalTask, User } from '@wholesail/persistence';

/**
 * The one writer of approval tasks and decisions (the API only reads them). Every write is keyed by
 * the task or decision id and checks before it writes, so a retried activity changes nothing.
 */
@Injectable()
export class ApprovalRecords {
  constructor(private readonly em: EntityManager) {}

  /** Inserts the task unless it exists; true when this call created it. */
  async openTask(task: ApprovalTaskView): Promise<boolean> {
    const em = this.em.fork();
    const inserted = await em
      .createQueryBuilder(ApprovalTask)
      .insert({
        id: task.taskId,
        workflowId: task.workflowId,
        workflowType: task.workflowType,
        stepKey: task.stepKey,
        round: task.round,
        title: task.title,
        description: task.description,
        subjectType: task.subject.type,
        subjectId: task.subject.id,
        subjectUrl: task.subject.url,
        assigneeRole: task.policy.role,
        assigneePartyId: task.policy.partyId,
        mode: task.policy.mode,
        approverIds: task.policy.approverIds ?? null,
        approvals: task.approvals,
        status: task.status,
        openedAt: new Date(task.openedAt),
        dueAt: new Date(task.dueAt),
        remindersSent: 0,
      })
      .onConflict('id')
      .ignore()
      .execute('run');
    return (inserted as { affectedRows?: number }).affectedRows !== 0;
  }

  async task(id: string): Promise<ApprovalTask> {
    const task = await this.em.fork().findOne(ApprovalTask, { id });
    if (!task) throw DomainError.notFound(ApprovalErrorCode.UnknownTask, `task ${id} does not exist`);
    return task;
  }

  /** The decision row (once per decision id) and the task's approvals and status, in one transaction. */
  async recordDecision(input: RecordDecisionInput): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const { decision } = input;
      const decidedAt = new Date(input.decidedAt);
      // A person's text: control characters (refused by the API) must never fail the write.
      const comment = decision.comment ? stripControlCharacters(decision.comment) : undefined;
      await em
        .createQueryBuilder(ApprovalDecision)
        .insert({
          id: input.decisionId,
          taskId: decision.taskId,
          workflowId: input.workflowId,
          decision: decision.decision,
          comment: comment ?? null,
          decidedById: decision.decider.userId,
          decidedByEmail: decision.decider.email ?? null,
          decidedByPartyId: decision.decider.partyId,
          decidedByRoles: [...decision.decider.roles],
          decidedAt,
          outcome: input.outcome ?? null,
        })
        .onConflict('id')
        .ignore()
        .execute();
      // Not found (openApprovalTask has not written it yet) is not a DomainError: Temporal retries.
      const task = await em.findOneOrFail(ApprovalTask, { id: decision.taskId });
      if (!task.approvals.some((a) => a.userId === decision.decider.userId)) {
        task.approvals = [
          ...task.approvals,
          {
            userId: decision.decider.userId,
            email: decision.decider.email,
            partyId: decision.decider.partyId,
            decision: decision.decision,
            comment,
            at: input.decidedAt,
          },
        ];
      }
      task.status = input.taskStatus;
      if (input.taskStatus !== 'open') task.closedAt ??= decidedAt;
    });
  }

  async closeTask(id: string, status: ApprovalClosure, closedAt: Date): Promise<void> {
    await this.em.fork().nativeUpdate(ApprovalTask, { id, status: 'open' }, { status, closedAt });
  }

  async countReminder(id: string, reminderNo: number): Promise<void> {
    await this.em.fork().nativeUpdate(ApprovalTask, { id, remindersSent: { $lt: reminderNo } }, { remindersSent: reminderNo });
  }

  async usersWithRole(role: Role, partyId: string): Promise<User[]> {
    return this.em.fork().find(User, { party: partyId, status: 'active', roles: { $contains: [role] } }, { orderBy: { email: 'asc' } });
  }

  /** The people a policy names: its approverIds, else everyone holding the role at the party. */
  async approvers(policy: ApprovalPolicy): Promise<User[]> {
    const users = await this.usersWithRole(policy.role, policy.partyId);
    return policy.approverIds?.length ? users.filter((u) => policy.approverIds!.includes(u.id)) : users;
  }
}
