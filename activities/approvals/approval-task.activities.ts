import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type {
  ApprovalActivities,
  ApprovalTaskView,
  ApproverReminderInput,
  CloseApprovalTaskInput,
  RecordDecisionInput,
  ResolveApproversInput,
} from '@wholesail/contracts';
import { withDomainFailures } from '@wholesail/temporal';
import type { User } from '@wholesail/persistence';
import { EmailOutbox, type OutboxMail } from '../mail/email-outbox.service';
import { ApprovalRecords } from './approval.records';

/**
 * The approval step's activities, shared by every workflow with human steps (workflows/approvals).
 * Each is idempotent (see ApprovalActivities). Data access lives in ApprovalRecords, so only
 * activity methods sit on this class: the worker registers every method under its name.
 */
@Injectable()
export class ApprovalTaskActivities implements ApprovalActivities {
  constructor(
    private readonly records: ApprovalRecords,
    private readonly outbox: EmailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  openApprovalTask(task: ApprovalTaskView): Promise<void> {
    return withDomainFailures(async () => {
      await this.records.openTask(task);
      // Tell each approver there is something in their inbox. The outbox sends one mail per key,
      // ever, so a retry after a failed send reaches whoever was missed and nobody twice.
      for (const user of await this.records.approvers(task.policy)) {
        await this.outbox.send(approverMail(this.config, user, 'approval-requested', `${task.taskId}:requested:${user.id}`, { ...task, id: task.taskId }, {}));
      }
    });
  }

  recordDecision(input: RecordDecisionInput): Promise<void> {
    return withDomainFailures(() => this.records.recordDecision(input));
  }

  closeApprovalTask(input: CloseApprovalTaskInput): Promise<void> {
    return withDomainFailures(() => this.records.closeTask(input.taskId, input.status, new Date(input.closedAt)));
  }

  resolveApprovers(input: ResolveApproversInput): Promise<string[]> {
    return withDomainFailures(async () => (await this.records.usersWithRole(input.role, input.partyId)).map((u) => u.id));
  }

  sendApproverReminder(input: ApproverReminderInput): Promise<void> {
    return withDomainFailures(async () => {
      const task = await this.records.task(input.taskId);
      const pending = input.pendingApproverIds;
      const users = (await this.records.approvers(input.policy)).filter((u) => !pending || pending.includes(u.id));
      for (const user of users) {
        await this.outbox.send(
          approverMail(
            this.config,
            user,
            'approval-reminder',
            `${input.idempotencyKey}:${user.id}`,
            { ...task, dueAt: input.dueAt },
            { reminderNo: input.reminderNo },
          ),
        );
      }
      await this.records.countReminder(task.id, input.reminderNo);
    });
  }
}

/** A mail to one approver about one task, linking to the inbox. */
function approverMail(
  config: AppConfig,
  user: User,
  template: 'approval-requested' | 'approval-reminder',
  idempotencyKey: string,
  task: { id: string; title: string; description: string; openedAt: Date | string; dueAt: Date | string },
  extra: Record<string, unknown>,
): OutboxMail {
  return {
    idempotencyKey,
    template,
    to: user.email,
    data: {
      recipientName: user.displayName,
      taskTitle: task.title,
      taskDescription: task.description,
      openedAt: task.openedAt,
      dueAt: task.dueAt,
      ...extra,
      inboxUrl: `${config.publicUrl}/approvals/tasks`,
    },
    subjectRef: `task:${task.id}`,
  };
}
