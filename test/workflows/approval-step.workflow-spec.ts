import { ActivityFailure, ApplicationFailure, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  approvalDecisionId,
  approvalTaskId,
  openTasksQuery,
  type ApprovalActivities,
  type ApprovalTaskView,
  type RecordDecisionInput,
} from '@wholesail/contracts';
import type { Decider } from '@wholesail/domain';
import { join } from 'node:path';
import type { ApprovalStepSpec } from '../../workflows/approvals/approval-step';
import { decide, openTaskOf, refusalOf } from '../support/approval-updates';
import { createLocalTestEnv, testWorkflowBundle } from '../support/temporal-env';
import { waitFor } from '../support/wait-for';
import {
  APPROVAL_STEP_HARNESS,
  newVersionSignal,
  withdrawSignal,
  type ApprovalStepHarnessInput,
  type ApprovalStepHarnessResult,
} from './approvals/approval-step-harness.workflow';

const CLIENT = 'party-umbrella';
const OPERATOR = 'party-operator';
const clientUser: Decider = { userId: 'user-umbrella', email: 'user@umbrella.test', partyId: CLIENT, roles: ['client-user'] };
const otherClientUser: Decider = { userId: 'user-initech', partyId: 'party-initech', roles: ['client-user'] };
const opAdmin: Decider = { userId: 'user-op-admin', email: 'admin@op.test', partyId: OPERATOR, roles: ['operator-admin'] };
const opAdmin2: Decider = { userId: 'user-op-admin-2', partyId: OPERATOR, roles: ['operator-admin'] };
const opAdmin3: Decider = { userId: 'user-op-admin-3', partyId: OPERATOR, roles: ['operator-admin'] };
const finance: Decider = { userId: 'user-finance', partyId: OPERATOR, roles: ['operator-finance'] };
const finance2: Decider = { userId: 'user-finance-2', partyId: OPERATOR, roles: ['operator-finance'] };

const slow = { reminderEveryMs: 3_600_000, expiresAfterMs: 86_400_000 };
type Step = Omit<ApprovalStepSpec, 'round'>;

/** Solution approval as it will run: the client accepts (any one), then the operator approves (all of the named). */
const clientAcceptance: Step = {
  stepKey: 'client-acceptance',
  title: 'Accept the design "Umbrella web shop" v3',
  description: '4 VMs, 16 vCPU, 612.40 EUR a month',
  subject: { type: 'solution-design', id: 'design-1', url: '/solutions/design-1' },
  policy: { role: 'client-user', partyId: CLIENT, mode: 'any' },
  timing: slow,
};
const operatorApproval: Step = {
  stepKey: 'operator-approval',
  title: 'Approve the design "Umbrella web shop" v3 (above the capacity threshold)',
  description: '16 vCPU exceeds the 8 vCPU threshold',
  subject: { type: 'solution-design', id: 'design-1', url: '/solutions/design-1' },
  policy: { role: 'operator-admin', partyId: OPERATOR, mode: 'all', approverIds: [opAdmin.userId, opAdmin2.userId] },
  timing: slow,
};
/** Billing run approval as it will run: one step, any one of operator-finance. */
const financeApproval: Step = {
  stepKey: 'finance',
  title: 'Approve billing run 2026-11',
  description: '214 documents, 48,210.00 EUR',
  subject: { type: 'billing-run', id: '2026-11', url: '/billing/runs/2026-11' },
  policy: { role: 'operator-finance', partyId: OPERATOR, mode: 'any' },
  timing: slow,
};

type ActivityName = keyof ApprovalActivities;

/** The approval activities as plain functions recording their calls; a test can hold a close back or fail recordings. */
class FakeApprovals {
  readonly calls: Array<{ name: ActivityName; input: any }> = [];
  resolvedApprovers: string[] = [];
  /** How many recordDecision calls fail (non-retryably) before they succeed. */
  failingRecords = 0;
  /** Resolves when a `closeApprovalTask` may return. */
  closeGate: Promise<void> = Promise.resolve();

  readonly activities: ApprovalActivities = {
    openApprovalTask: async (input) => void this.calls.push({ name: 'openApprovalTask', input }),
    recordDecision: async (input) => {
      this.calls.push({ name: 'recordDecision', input });
      if (this.failingRecords-- > 0) throw ApplicationFailure.create({ type: 'DATABASE_DOWN', message: 'could not record', nonRetryable: true });
    },
    closeApprovalTask: async (input) => {
      this.calls.push({ name: 'closeApprovalTask', input });
      await this.closeGate;
    },
    resolveApprovers: async (input) => {
      this.calls.push({ name: 'resolveApprovers', input });
      return this.resolvedApprovers;
    },
    sendApproverReminder: async (input) => void this.calls.push({ name: 'sendApproverReminder', input }),
  };

  of(name: ActivityName): any[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  /** The first call of `name` matching `predicate`, once it has been made. */
  waitFor(name: ActivityName, predicate: (input: any) => boolean = () => true): Promise<any> {
    return waitFor(async () => this.of(name).find(predicate), 20_000, 50);
  }
}

describe('approval step (workflows/approvals)', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;
  const bundle = () => testWorkflowBundle(join(__dirname, 'approvals/approval-step-harness.workflow.ts'));

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs the harness on a fresh task queue with `fake`'s activities while `body` drives it. */
  async function run<T>(fake: FakeApprovals, input: Partial<ApprovalStepHarnessInput> & { businessKey: string }, body: (handle: WorkflowHandle) => Promise<T>) {
    const taskQueue = `approval-step-test-${++queue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundle(), activities: fake.activities });
    const args: ApprovalStepHarnessInput = { steps: [clientAcceptance, operatorApproval], maxRounds: 3, newVersionWithinMs: 60_000, ...input };
    return worker.runUntil(async () => body(await env.client.workflow.start(APPROVAL_STEP_HARNESS, { workflowId: args.businessKey, taskQueue, args: [args] })));
  }
  const resultOf = (handle: WorkflowHandle) => handle.result() as Promise<ApprovalStepHarnessResult>;

  it('runs serial steps: any one client user accepts, then every named operator-admin must approve', async () => {
    const fake = new FakeApprovals();
    const key = 'solution:serial-approve';
    const result = await run(fake, { businessKey: key }, async (handle) => {
      const client = await openTaskOf(handle, 'client-acceptance');
      expect(client).toEqual({
        taskId: approvalTaskId(key, 'client-acceptance', 1),
        workflowId: key,
        workflowType: APPROVAL_STEP_HARNESS,
        stepKey: 'client-acceptance',
        round: 1,
        title: clientAcceptance.title,
        description: clientAcceptance.description,
        subject: clientAcceptance.subject,
        policy: clientAcceptance.policy,
        openedAt: expect.any(String),
        dueAt: expect.any(String),
        status: 'open',
        approvals: [],
      });
      expect(Date.parse(client.dueAt) - Date.parse(client.openedAt)).toBe(slow.expiresAfterMs);
      expect(await handle.query(openTasksQuery)).toHaveLength(1); // the operator's step is not open yet
      await expect(decide(handle, client.taskId, clientUser, 'approve', 'looks good')).resolves.toMatchObject({ outcome: 'approved', taskStatus: 'approved' });

      const operator = await openTaskOf(handle, 'operator-approval');
      await expect(decide(handle, operator.taskId, opAdmin)).resolves.toEqual({
        taskId: operator.taskId,
        accepted: true,
        decision: 'approve',
        taskStatus: 'open',
        decidedAt: expect.any(String),
      });
      expect((await openTaskOf(handle, 'operator-approval')).approvals).toEqual([expect.objectContaining({ userId: opAdmin.userId, decision: 'approve' })]);
      await expect(decide(handle, operator.taskId, opAdmin2)).resolves.toMatchObject({ outcome: 'approved', taskStatus: 'approved' });
      return resultOf(handle);
    });

    expect(result.rounds).toEqual([
      {
        round: 1,
        result: {
          outcome: 'approved',
          steps: [
            {
              stepKey: 'client-acceptance',
              taskId: approvalTaskId(key, 'client-acceptance', 1),
              approvals: [expect.objectContaining({ userId: clientUser.userId, comment: 'looks good' })],
            },
            {
              stepKey: 'operator-approval',
              taskId: approvalTaskId(key, 'operator-approval', 1),
              approvals: [expect.objectContaining({ userId: opAdmin.userId }), expect.objectContaining({ userId: opAdmin2.userId })],
            },
          ],
        },
      },
    ]);
    expect(fake.of('openApprovalTask').map((t: ApprovalTaskView) => [t.taskId, t.status])).toEqual([
      [approvalTaskId(key, 'client-acceptance', 1), 'open'],
      [approvalTaskId(key, 'operator-approval', 1), 'open'],
    ]);
    expect(fake.of('recordDecision').map((r: RecordDecisionInput) => [r.decisionId, r.workflowId, r.outcome, r.taskStatus])).toEqual([
      [approvalDecisionId(approvalTaskId(key, 'client-acceptance', 1), clientUser.userId), key, 'approved', 'approved'],
      [approvalDecisionId(approvalTaskId(key, 'operator-approval', 1), opAdmin.userId), key, undefined, 'open'],
      [approvalDecisionId(approvalTaskId(key, 'operator-approval', 1), opAdmin2.userId), key, 'approved', 'approved'],
    ]);
    expect(fake.of('resolveApprovers')).toEqual([]); // the policy named its approvers
    expect(fake.of('closeApprovalTask')).toEqual([]); // decided tasks are closed by recordDecision
  });

  it('resolves the approvers of an "all of" policy that names none when the task opens', async () => {
    const fake = new FakeApprovals();
    fake.resolvedApprovers = [finance.userId, finance2.userId];
    const allFinance: Step = { ...financeApproval, policy: { role: 'operator-finance', partyId: OPERATOR, mode: 'all' } };
    const result = await run(fake, { businessKey: 'billing-run:resolve', steps: [allFinance] }, async (handle) => {
      const task = await openTaskOf(handle, 'finance');
      expect(task.policy).toEqual({ role: 'operator-finance', partyId: OPERATOR, mode: 'all', approverIds: [finance.userId, finance2.userId] });
      await expect(decide(handle, task.taskId, finance)).resolves.toMatchObject({ taskStatus: 'open' });
      await expect(decide(handle, task.taskId, finance2)).resolves.toMatchObject({ outcome: 'approved' });
      return resultOf(handle);
    });
    expect(result.rounds[0].result.outcome).toBe('approved');
    expect(fake.of('resolveApprovers')).toEqual([{ role: 'operator-finance', partyId: OPERATOR }]);
  });

  it('fails the workflow when an "all of" policy finds nobody to approve', async () => {
    const fake = new FakeApprovals();
    const allFinance: Step = { ...financeApproval, policy: { role: 'operator-finance', partyId: OPERATOR, mode: 'all' } };
    const error = await run(fake, { businessKey: 'billing-run:nobody', steps: [allFinance] }, (handle) =>
      handle.result().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'APPROVAL_NO_APPROVERS' });
    expect(fake.of('openApprovalTask')).toEqual([]);
  });

  it('refuses decisions that are not the caller’s, lack a comment, repeat one, or name no task; records only accepted ones', async () => {
    const fake = new FakeApprovals();
    await run(fake, { businessKey: 'solution:refusals' }, async (handle) => {
      const client = await openTaskOf(handle, 'client-acceptance');
      expect(await refusalOf(decide(handle, client.taskId, otherClientUser))).toBe('APPROVAL_NOT_YOURS'); // right role, another party
      expect(await refusalOf(decide(handle, client.taskId, { ...opAdmin, partyId: CLIENT }))).toBe('APPROVAL_NOT_YOURS'); // right party, wrong role
      expect(await refusalOf(decide(handle, client.taskId, clientUser, 'reject'))).toBe('APPROVAL_COMMENT_REQUIRED');
      expect(await refusalOf(decide(handle, client.taskId, clientUser, 'request-changes', '   '))).toBe('APPROVAL_COMMENT_REQUIRED');
      expect(await refusalOf(decide(handle, approvalTaskId('solution:refusals', 'client-acceptance', 2), clientUser))).toBe('APPROVAL_UNKNOWN_TASK');
      await decide(handle, client.taskId, clientUser);
      expect(await refusalOf(decide(handle, client.taskId, clientUser, 'reject', 'changed my mind'))).toBe('APPROVAL_ALREADY_DECIDED');

      const operator = await openTaskOf(handle, 'operator-approval');
      expect(await refusalOf(decide(handle, operator.taskId, opAdmin3))).toBe('APPROVAL_NOT_YOURS'); // an operator-admin, but not named
      expect(await refusalOf(decide(handle, operator.taskId, finance))).toBe('APPROVAL_NOT_YOURS');
      await decide(handle, operator.taskId, opAdmin);
      expect(await refusalOf(decide(handle, operator.taskId, opAdmin))).toBe('APPROVAL_ALREADY_DECIDED'); // waits for the others
      await decide(handle, operator.taskId, opAdmin2);
      await resultOf(handle);
    });
    expect(fake.of('recordDecision').map((r: RecordDecisionInput) => r.decision.decider.userId)).toEqual([clientUser.userId, opAdmin.userId, opAdmin2.userId]);
  });

  it('stops at the first step that is not approved: a rejection, with its comment', async () => {
    const fake = new FakeApprovals();
    const key = 'solution:reject';
    const result = await run(fake, { businessKey: key }, async (handle) => {
      const client = await openTaskOf(handle, 'client-acceptance');
      await expect(decide(handle, client.taskId, clientUser, 'reject', '  too expensive for us ')).resolves.toMatchObject({ outcome: 'rejected' });
      return resultOf(handle);
    });
    expect(result.rounds).toEqual([
      {
        round: 1,
        result: {
          outcome: 'rejected',
          stepKey: 'client-acceptance',
          taskId: approvalTaskId(key, 'client-acceptance', 1),
          comment: 'too expensive for us',
          record: expect.objectContaining({ userId: clientUser.userId, decision: 'reject', comment: 'too expensive for us' }),
          steps: [],
        },
      },
    ]);
    expect(fake.of('openApprovalTask')).toHaveLength(1); // the operator's step never opened
  });

  it('returns "changes requested" at a later step, and asks every step again in a new round after a new version', async () => {
    const fake = new FakeApprovals();
    const key = 'solution:changes';
    const result = await run(fake, { businessKey: key }, async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'client-acceptance')).taskId, clientUser);
      const operator = await openTaskOf(handle, 'operator-approval');
      await decide(handle, operator.taskId, opAdmin);
      await expect(decide(handle, operator.taskId, opAdmin2, 'request-changes', 'use 8 vCPU per VM at most')).resolves.toMatchObject({
        outcome: 'changes-requested',
        taskStatus: 'changes-requested',
      });
      expect(await handle.query(openTasksQuery)).toEqual([]);

      await handle.signal(newVersionSignal);
      const client2 = await openTaskOf(handle, 'client-acceptance', 2);
      expect(client2.taskId).toBe(approvalTaskId(key, 'client-acceptance', 2));
      expect(await refusalOf(decide(handle, operator.taskId, opAdmin))).toBe('APPROVAL_ALREADY_DECIDED'); // round 1 is over
      await decide(handle, client2.taskId, clientUser);
      const operator2 = await openTaskOf(handle, 'operator-approval', 2);
      expect(operator2.approvals).toEqual([]); // a new round starts from nobody
      await decide(handle, operator2.taskId, opAdmin);
      await decide(handle, operator2.taskId, opAdmin2);
      return resultOf(handle);
    });
    expect(result.rounds.map((r) => [r.round, r.result.outcome])).toEqual([
      [1, 'changes-requested'],
      [2, 'approved'],
    ]);
    expect(result.rounds[0].result).toMatchObject({
      stepKey: 'operator-approval',
      comment: 'use 8 vCPU per VM at most',
      steps: [{ stepKey: 'client-acceptance' }],
    });
    expect(fake.of('openApprovalTask').map((t: ApprovalTaskView) => t.taskId)).toEqual([
      approvalTaskId(key, 'client-acceptance', 1),
      approvalTaskId(key, 'operator-approval', 1),
      approvalTaskId(key, 'client-acceptance', 2),
      approvalTaskId(key, 'operator-approval', 2),
    ]);
  });

  it('runs a one-step billing approval: changes requested, then the re-rated run is rejected with a comment', async () => {
    const fake = new FakeApprovals();
    const key = 'billing-run:2026-11';
    const result = await run(fake, { businessKey: key, steps: [financeApproval] }, async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'finance')).taskId, finance, 'request-changes', 'Umbrella usage is missing');
      await handle.signal(newVersionSignal);
      await decide(handle, (await openTaskOf(handle, 'finance', 2)).taskId, finance, 'reject', 'still wrong: run it again next week');
      return resultOf(handle);
    });
    expect(result.rounds.map((r) => r.result)).toEqual([
      expect.objectContaining({ outcome: 'changes-requested', stepKey: 'finance', comment: 'Umbrella usage is missing' }),
      expect.objectContaining({ outcome: 'rejected', taskId: approvalTaskId(key, 'finance', 2), comment: 'still wrong: run it again next week' }),
    ]);
  });

  it('takes back a decision it could not record: the update fails and the task can still be decided', async () => {
    const fake = new FakeApprovals();
    fake.failingRecords = 1;
    const result = await run(fake, { businessKey: 'billing-run:record-fails', steps: [financeApproval] }, async (handle) => {
      const task = await openTaskOf(handle, 'finance');
      const error = await decide(handle, task.taskId, finance).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause).toBeInstanceOf(ActivityFailure);
      expect(await openTaskOf(handle, 'finance')).toMatchObject({ status: 'open', approvals: [] });
      await expect(decide(handle, task.taskId, finance)).resolves.toMatchObject({ outcome: 'approved' });
      return resultOf(handle);
    });
    expect(result.rounds[0].result.outcome).toBe('approved');
    expect(fake.of('recordDecision')).toHaveLength(2);
  });

  it('reminds the pending approvers at the interval, at most maxReminders times, then expires at the deadline', async () => {
    const fake = new FakeApprovals();
    const key = 'billing-run:remind';
    const allFinance: Step = {
      ...financeApproval,
      policy: { role: 'operator-finance', partyId: OPERATOR, mode: 'all', approverIds: [finance.userId, finance2.userId] },
      // Uncapped, reminders would go out at 1, 2 and 3 seconds.
      timing: { reminderEveryMs: 1000, expiresAfterMs: 3500, maxReminders: 2 },
    };
    let approvedAfterCall = 0;
    const result = await run(fake, { businessKey: key, steps: [allFinance] }, async (handle) => {
      const task = await openTaskOf(handle, 'finance');
      const first = await fake.waitFor('sendApproverReminder');
      expect(first).toEqual({
        taskId: task.taskId,
        round: 1,
        reminderNo: 1,
        idempotencyKey: `${task.taskId}:reminder:1`,
        dueAt: task.dueAt,
        policy: allFinance.policy,
        pendingApproverIds: [finance.userId, finance2.userId],
      });
      await decide(handle, task.taskId, finance);
      approvedAfterCall = fake.calls.length;
      return resultOf(handle);
    });
    const taskId = approvalTaskId(key, 'finance', 1);
    expect(result.rounds[0].result).toEqual({ outcome: 'expired', stepKey: 'finance', taskId, steps: [] });

    const reminders = fake.of('sendApproverReminder');
    const numbers = reminders.map((r) => r.reminderNo);
    expect(numbers.at(-1)).toBe(2); // the cap, reached and not passed
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b)); // each number once, in order
    expect(reminders.map((r) => r.idempotencyKey)).toEqual(numbers.map((n) => `${taskId}:reminder:${n}`));
    // Reminders after the first approval go only to the approver still pending.
    for (const later of fake.calls.slice(approvedAfterCall).filter((c) => c.name === 'sendApproverReminder')) {
      expect(later.input.pendingApproverIds).toEqual([finance2.userId]);
    }

    const [closed] = fake.of('closeApprovalTask');
    expect(fake.of('closeApprovalTask')).toEqual([{ taskId, status: 'expired', closedAt: expect.any(String) }]);
    const opened = fake.of('openApprovalTask')[0] as ApprovalTaskView;
    expect(Date.parse(closed.closedAt)).toBeGreaterThanOrEqual(Date.parse(opened.dueAt)); // not a moment early
  });

  it('expires a step at its deadline without opening the next, and refuses a late decision', async () => {
    const fake = new FakeApprovals();
    let release!: () => void;
    fake.closeGate = new Promise((resolve) => (release = resolve));
    const key = 'solution:expire';
    const result = await run(
      fake,
      { businessKey: key, steps: [{ ...clientAcceptance, timing: { reminderEveryMs: 3_600_000, expiresAfterMs: 2000 } }, operatorApproval] },
      async (handle) => {
        const task = await openTaskOf(handle, 'client-acceptance');
        // The workflow has closed the task and is writing that down: a decision now is too late.
        await fake.waitFor('closeApprovalTask');
        expect(await refusalOf(decide(handle, task.taskId, clientUser))).toBe('APPROVAL_EXPIRED');
        expect(await handle.query(openTasksQuery)).toEqual([]);
        release();
        return resultOf(handle);
      },
    );
    expect(result.rounds[0].result).toEqual({
      outcome: 'expired',
      stepKey: 'client-acceptance',
      taskId: approvalTaskId(key, 'client-acceptance', 1),
      steps: [],
    });
    expect(fake.of('closeApprovalTask')).toEqual([expect.objectContaining({ status: 'expired' })]);
    expect(fake.of('openApprovalTask')).toHaveLength(1);
    expect(fake.of('sendApproverReminder')).toEqual([]);
    expect(fake.of('recordDecision')).toEqual([]);
  });

  it('stops waiting when the caller’s condition interrupts (a withdrawal), and closes the open task as withdrawn', async () => {
    const fake = new FakeApprovals();
    let release!: () => void;
    fake.closeGate = new Promise((resolve) => (release = resolve));
    const key = 'solution:withdraw';
    const result = await run(fake, { businessKey: key }, async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'client-acceptance')).taskId, clientUser);
      const operator = await openTaskOf(handle, 'operator-approval');
      await decide(handle, operator.taskId, opAdmin);
      await handle.signal(withdrawSignal);
      await fake.waitFor('closeApprovalTask');
      expect(await refusalOf(decide(handle, operator.taskId, opAdmin2))).toBe('APPROVAL_ALREADY_DECIDED');
      release();
      return resultOf(handle);
    });
    expect(result.rounds[0].result).toEqual({
      outcome: 'interrupted',
      stepKey: 'operator-approval',
      taskId: approvalTaskId(key, 'operator-approval', 1),
      steps: [expect.objectContaining({ stepKey: 'client-acceptance' })],
    });
    expect(fake.of('closeApprovalTask')).toEqual([{ taskId: approvalTaskId(key, 'operator-approval', 1), status: 'withdrawn', closedAt: expect.any(String) }]);
    expect(fake.of('recordDecision')).toHaveLength(2);
  });
});
