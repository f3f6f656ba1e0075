import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  applicationStatusQuery,
  approvalDecisionId,
  confirmEmailChangeUpdate,
  approvalTaskId,
  decideUpdate,
  ONBOARDING_WORKFLOW,
  onboardingWorkflowId,
  openTasksQuery,
  resubmitUpdate,
  withdrawUpdate,
  type ApprovalTaskView,
  type DecisionInput,
  type OnboardingActivities,
  type PartnerOnboardingInput,
  type PartnerOnboardingResult,
} from '@wholesail/contracts';
import type { Decider, FieldProblem } from '@wholesail/domain';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalTestEnv, sourceBundle } from '../support/temporal-env';
import { RecordedActivities } from '../support/recorded-activities';

const OPERATOR = 'party-operator';
const DISTRIBUTOR = 'party-northwind';
const opAdmin: Decider = { userId: 'user-op-admin', email: 'admin@wholesail.test', partyId: OPERATOR, roles: ['operator-admin'] };
const opAdmin2: Decider = { userId: 'user-op-admin-2', partyId: OPERATOR, roles: ['operator-admin'] };
const opAdmin3: Decider = { userId: 'user-op-admin-3', partyId: OPERATOR, roles: ['operator-admin'] };
const opFinance: Decider = { userId: 'user-op-finance', partyId: OPERATOR, roles: ['operator-finance'] };
const sponsorAdmin: Decider = { userId: 'user-northwind-admin', partyId: DISTRIBUTOR, roles: ['distributor-admin'] };

type ActivityName = keyof OnboardingActivities;

/** Activities as plain functions recording their calls; a test can hold one back with a gate. */
class FakeOnboarding extends RecordedActivities<ActivityName> {
  /** Problems the automatic checks report, per round. */
  problemsByRound: Record<number, FieldProblem[]> = {};
  resolvedApprovers: string[] = [];
  /** Resolves when a `closeApprovalTask` with status 'expired' may return. */
  expiredCloseGate: Promise<void> = Promise.resolve();
  /** Resolves when `changeApplicantEmail` may return; addresses it refuses as taken. */
  emailChangeGate: Promise<void> = Promise.resolve();
  takenEmails: string[] = [];
  /** Resolves when `provisionPartner` may return. */
  provisionGate: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  readonly activities: OnboardingActivities = {
    runAutomaticChecks: async (input) => this.record('runAutomaticChecks', input, { problems: this.problemsByRound[input.round] ?? [] }),
    setApplicationStatus: async (input) => this.record('setApplicationStatus', input, undefined),
    openApprovalTask: async (input) => this.record('openApprovalTask', input, undefined),
    recordDecision: async (input) => this.record('recordDecision', input, undefined),
    closeApprovalTask: async (input) => {
      this.record('closeApprovalTask', input, undefined);
      if (input.status === 'expired') await this.expiredCloseGate;
    },
    resolveApprovers: async (input) => this.record('resolveApprovers', input, this.resolvedApprovers),
    applyResubmission: async (input) => this.record('applyResubmission', input, undefined),
    provisionPartner: async (input) => {
      const result = this.record('provisionPartner', input, {
        partyId: 'party-new',
        adminUserId: 'user-new-admin',
        invitationUrl: `https://wholesail.test/invitations/${input.applicationId}-token`,
        invitationExpiresAt: '2026-12-01T00:00:00.000Z',
      });
      await this.provisionGate;
      return result;
    },
    changeApplicantEmail: async (input) => {
      this.record('changeApplicantEmail', input, undefined);
      if (this.takenEmails.includes(input.email))
        throw ApplicationFailure.create({ type: 'APPLICATION_EMAIL_TAKEN', message: 'this e-mail address already belongs to a user', nonRetryable: true });
      await this.emailChangeGate;
      this.record('changeApplicantEmail:done' as ActivityName, input, undefined);
    },
    recordWithdrawal: async (input) => this.record('recordWithdrawal', input, undefined),
    sendApplicantEmail: async (input) => this.record('sendApplicantEmail', input, undefined),
    sendApproverReminder: async (input) => this.record('sendApproverReminder', input, undefined),
  };

  statuses(): string[] {
    return this.of('setApplicationStatus').map((c) => c.status);
  }

  emails(): string[] {
    return this.of('sendApplicantEmail').map((c) => c.template);
  }

  /** The first call of `name` matching `predicate`, as soon as it is made. */
  waitFor(name: ActivityName, predicate: (input: any) => boolean = () => true, timeoutMs = 20_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.calls.find((c) => c.name === name && predicate(c.input));
        if (!found) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(found.input);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no ${name} call matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  protected override recorded(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Polls `probe` until it returns a value (a condition the test waits on, not a sleep). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The open task of `stepKey` in `round`, once the workflow accepts decisions on it. */
function openTaskOf(handle: WorkflowHandle, stepKey: string, round = 1): Promise<ApprovalTaskView> {
  return eventually(
    async () => (await handle.query(openTasksQuery)).find((t) => t.stepKey === stepKey && t.round === round),
    `the ${stepKey} task of round ${round}`,
  );
}

function statusOf(handle: WorkflowHandle, status: string): Promise<true> {
  return eventually(async () => ((await handle.query(applicationStatusQuery)).status === status ? true : undefined), `status ${status}`);
}

function decide(handle: WorkflowHandle, taskId: string, decider: Decider, decision: DecisionInput['decision'] = 'approve', comment?: string) {
  return handle.executeUpdate(decideUpdate, { args: [{ taskId, decision, decider, ...(comment === undefined ? {} : { comment }) }] });
}

/** The failure type of an update its validator refused. */
async function refusalOf(update: Promise<unknown>): Promise<string | undefined> {
  const error = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

describe('partnerOnboarding workflow', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const slow = { reminderEvery: '1 hour', expiresAfter: '1 day' };

  function inputFor(applicationId: string, overrides: Partial<PartnerOnboardingInput> = {}): PartnerOnboardingInput {
    return {
      applicationId,
      kind: 'reseller',
      applicantName: 'Acme IT',
      operatorPartyId: OPERATOR,
      operatorPolicy: { mode: 'any' },
      timings: slow,
      ...overrides,
    };
  }

  /** Starts the workflow on a fresh task queue and runs `body` while a worker with `fake` serves it. */
  async function run<T>(fake: FakeOnboarding, input: PartnerOnboardingInput, body: (handle: WorkflowHandle, taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `onboarding-test-${++queue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await sourceBundle(), activities: fake.activities });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(ONBOARDING_WORKFLOW, { workflowId: onboardingWorkflowId(input.applicationId), taskQueue, args: [input] });
      return body(handle, taskQueue);
    });
  }

  it('approves with the sponsor and the operator, provisions the partner and sends the welcome e-mail', async () => {
    const fake = new FakeOnboarding();
    const input = inputFor('app-approve', { sponsorPartyId: DISTRIBUTOR });
    const workflowId = onboardingWorkflowId('app-approve');
    const result = await run(fake, input, async (handle) => {
      const sponsorTask = await openTaskOf(handle, 'sponsor');
      expect(sponsorTask).toMatchObject({
        taskId: approvalTaskId(workflowId, 'sponsor', 1),
        workflowId,
        workflowType: ONBOARDING_WORKFLOW,
        round: 1,
        title: 'Confirm Acme IT as your reseller',
        subject: { type: 'partner-application', id: 'app-approve', url: '/applications/app-approve' },
        policy: { role: 'distributor-admin', partyId: DISTRIBUTOR, mode: 'any' },
        status: 'open',
        approvals: [],
      });
      expect(Date.parse(sponsorTask.dueAt) - Date.parse(sponsorTask.openedAt)).toBe(86_400_000);
      await expect(decide(handle, sponsorTask.taskId, sponsorAdmin)).resolves.toMatchObject({
        taskId: sponsorTask.taskId,
        accepted: true,
        decision: 'approve',
        outcome: 'approved',
        taskStatus: 'approved',
      });

      const operatorTask = await openTaskOf(handle, 'operator');
      expect(operatorTask).toMatchObject({
        taskId: approvalTaskId(workflowId, 'operator', 1),
        policy: { role: 'operator-admin', partyId: OPERATOR, mode: 'any' },
      });
      await expect(decide(handle, operatorTask.taskId, opAdmin, 'approve', 'welcome aboard')).resolves.toMatchObject({ outcome: 'approved' });

      const done = await handle.result();
      expect(await handle.query(applicationStatusQuery)).toMatchObject({ status: 'active', partyId: 'party-new', round: 1 });
      if (process.env.RECORD_HISTORIES) {
        writeFileSync(join(__dirname, '../replay/histories/partner-onboarding.approve.json'), JSON.stringify(await handle.fetchHistory(), null, 1));
      }
      return done;
    });

    expect(result).toEqual<PartnerOnboardingResult>({
      applicationId: 'app-approve',
      status: 'active',
      rounds: 1,
      partyId: 'party-new',
      adminUserId: 'user-new-admin',
    });
    expect(fake.statuses()).toEqual(['checking', 'awaiting-sponsor', 'awaiting-operator', 'approved', 'provisioning', 'active']);
    expect(fake.emails()).toEqual(['application-received', 'welcome']);
    expect(fake.of('sendApplicantEmail')[1]).toMatchObject({
      applicationId: 'app-approve',
      idempotencyKey: `${workflowId}:welcome`,
      data: { partyId: 'party-new', invitationUrl: 'https://wholesail.test/invitations/app-approve-token', invitationExpiresAt: '2026-12-01T00:00:00.000Z' },
    });
    expect(fake.of('recordDecision')).toEqual([
      expect.objectContaining({
        decisionId: approvalDecisionId(approvalTaskId(workflowId, 'sponsor', 1), sponsorAdmin.userId),
        outcome: 'approved',
        taskStatus: 'approved',
        decision: expect.objectContaining({ decider: sponsorAdmin }),
      }),
      expect.objectContaining({
        decisionId: approvalDecisionId(approvalTaskId(workflowId, 'operator', 1), opAdmin.userId),
        workflowId,
        decision: expect.objectContaining({ comment: 'welcome aboard' }),
      }),
    ]);
    expect(fake.of('provisionPartner')).toEqual([{ applicationId: 'app-approve' }]);
    expect(fake.of('closeApprovalTask')).toEqual([]); // decided tasks are closed by recordDecision
  });

  it('refuses decisions that are not the caller’s, already decided, unknown, or lack a comment', async () => {
    const fake = new FakeOnboarding();
    await run(fake, inputFor('app-refusals', { kind: 'agent', sponsorPartyId: DISTRIBUTOR }), async (handle) => {
      const sponsorTask = await openTaskOf(handle, 'sponsor');
      expect(await refusalOf(decide(handle, sponsorTask.taskId, opAdmin))).toBe('APPROVAL_NOT_YOURS'); // right role elsewhere
      expect(await refusalOf(decide(handle, sponsorTask.taskId, { ...sponsorAdmin, roles: ['agent'] }))).toBe('APPROVAL_NOT_YOURS'); // wrong role
      expect(await refusalOf(decide(handle, sponsorTask.taskId, sponsorAdmin, 'reject'))).toBe('APPROVAL_COMMENT_REQUIRED');
      expect(await refusalOf(decide(handle, `${sponsorTask.taskId}0`, sponsorAdmin))).toBe('APPROVAL_UNKNOWN_TASK');
      await decide(handle, sponsorTask.taskId, sponsorAdmin);
      expect(await refusalOf(decide(handle, sponsorTask.taskId, sponsorAdmin, 'reject', 'changed my mind'))).toBe('APPROVAL_ALREADY_DECIDED');

      const operatorTask = await openTaskOf(handle, 'operator');
      expect(await refusalOf(decide(handle, operatorTask.taskId, opFinance))).toBe('APPROVAL_NOT_YOURS');
      expect(await refusalOf(decide(handle, operatorTask.taskId, sponsorAdmin))).toBe('APPROVAL_NOT_YOURS');
      await decide(handle, operatorTask.taskId, opAdmin);
      await expect(handle.result()).resolves.toMatchObject({ status: 'active' });
    });
    // Refused decisions leave no trace: only the two accepted ones were recorded.
    expect(fake.of('recordDecision')).toHaveLength(2);
  });

  it('rejects with the reason e-mailed to the applicant', async () => {
    const fake = new FakeOnboarding();
    const result = await run(fake, inputFor('app-reject'), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      await expect(decide(handle, task.taskId, opAdmin, 'reject', 'the tax ID belongs to another partner')).resolves.toMatchObject({
        outcome: 'rejected',
        taskStatus: 'rejected',
      });
      return handle.result();
    });
    expect(result).toEqual({ applicationId: 'app-reject', status: 'rejected', rounds: 1, reason: 'the tax ID belongs to another partner' });
    expect(fake.statuses()).toEqual(['checking', 'awaiting-operator', 'rejected']);
    expect(fake.of('setApplicationStatus').at(-1)).toMatchObject({ status: 'rejected', reason: 'the tax ID belongs to another partner' });
    expect(fake.emails()).toEqual(['application-received', 'rejected']);
    expect(fake.of('sendApplicantEmail')[1]).toMatchObject({
      idempotencyKey: 'onboarding:app-reject:rejected',
      data: { reason: 'the tax ID belongs to another partner', problems: [] },
    });
    expect(fake.of('provisionPartner')).toEqual([]);
  });

  it('rejects an application that fails the automatic checks, listing the problems, without opening a task', async () => {
    const fake = new FakeOnboarding();
    fake.problemsByRound[1] = [
      { field: 'taxId', problem: 'is not a well-formed tax ID' },
      { field: 'email', problem: 'is already used by another partner' },
    ];
    const result = await run(fake, inputFor('app-checks'), (handle) => handle.result());
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'the application failed the automatic checks: taxId is not a well-formed tax ID; email is already used by another partner',
    });
    expect(fake.statuses()).toEqual(['checking', 'rejected']);
    expect(fake.of('setApplicationStatus')[1].problems).toEqual(fake.problemsByRound[1]);
    expect(fake.emails()).toEqual(['rejected']);
    expect(fake.of('sendApplicantEmail')[0].data.problems).toEqual(fake.problemsByRound[1]);
    expect(fake.of('openApprovalTask')).toEqual([]);
  });

  it('rejects, telling the applicant, when provisioning finds its name taken since the checks', async () => {
    const fake = new FakeOnboarding();
    const taken = [{ field: 'name', problem: 'is already used by another partner' }];
    fake.activities.provisionPartner = async (input) => {
      fake.calls.push({ name: 'provisionPartner', input });
      throw ApplicationFailure.create({
        type: 'PARTY_DUPLICATE',
        message: 'name is already used by another partner',
        nonRetryable: true,
        details: [{ fields: taken, kind: 'conflict' }],
      });
    };
    const result = await run(fake, inputFor('app-taken'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'operator')).taskId, opAdmin);
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'rejected', reason: expect.stringContaining('name is already used by another partner') });
    expect(fake.of('provisionPartner')).toHaveLength(1);
    expect(fake.statuses()).toEqual(['checking', 'awaiting-operator', 'approved', 'provisioning', 'rejected']);
    expect(fake.of('setApplicationStatus').at(-1).problems).toEqual(taken);
    expect(fake.emails()).toEqual(['application-received', 'rejected']);
  });

  it('requests changes, takes the resubmission, reruns the checks and approves in a new round', async () => {
    const fake = new FakeOnboarding();
    const workflowId = onboardingWorkflowId('app-changes');
    const result = await run(fake, inputFor('app-changes', { sponsorPartyId: DISTRIBUTOR }), async (handle) => {
      const first = await openTaskOf(handle, 'sponsor', 1);
      expect(await refusalOf(handle.executeUpdate(resubmitUpdate, { args: [{ by: 'applicant', changes: { taxId: 'DE123456789' } }] }))).toBe(
        'ONBOARDING_NOT_AWAITING_CHANGES',
      );
      await expect(decide(handle, first.taskId, sponsorAdmin, 'request-changes', 'please add your VAT number')).resolves.toMatchObject({
        outcome: 'changes-requested',
        taskStatus: 'changes-requested',
      });

      await statusOf(handle, 'changes-requested');
      expect(await handle.query(applicationStatusQuery)).toMatchObject({
        round: 1,
        changesRequested: { comment: 'please add your VAT number', by: sponsorAdmin.userId },
      });
      expect(await handle.query(openTasksQuery)).toEqual([]);
      await expect(
        handle.executeUpdate(resubmitUpdate, { args: [{ by: 'applicant', changes: { taxId: 'DE123456789' }, comment: 'added' }] }),
      ).resolves.toMatchObject({ status: 'checking', round: 2 });

      const second = await openTaskOf(handle, 'sponsor', 2);
      expect(second.taskId).toBe(approvalTaskId(workflowId, 'sponsor', 2));
      expect(second.taskId).not.toBe(first.taskId);
      expect(await refusalOf(decide(handle, first.taskId, sponsorAdmin))).toBe('APPROVAL_ALREADY_DECIDED');
      await decide(handle, second.taskId, sponsorAdmin);
      await decide(handle, (await openTaskOf(handle, 'operator', 2)).taskId, opAdmin);
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'active', rounds: 2 });
    expect(fake.of('runAutomaticChecks')).toEqual([
      { applicationId: 'app-changes', round: 1 },
      { applicationId: 'app-changes', round: 2 },
    ]);
    expect(fake.of('applyResubmission')).toEqual([
      { applicationId: 'app-changes', round: 2, by: 'applicant', changes: { taxId: 'DE123456789' }, comment: 'added' },
    ]);
    expect(fake.statuses()).toEqual([
      'checking',
      'awaiting-sponsor',
      'changes-requested',
      'checking',
      'awaiting-sponsor',
      'awaiting-operator',
      'approved',
      'provisioning',
      'active',
    ]);
    expect(fake.emails()).toEqual(['application-received', 'changes-requested', 'welcome']);
    expect(fake.of('sendApplicantEmail')[1]).toMatchObject({
      idempotencyKey: `${workflowId}:changes-requested:1`,
      data: { comment: 'please add your VAT number' },
    });
    expect(fake.of('openApprovalTask').map((t) => t.taskId)).toEqual([
      approvalTaskId(workflowId, 'sponsor', 1),
      approvalTaskId(workflowId, 'sponsor', 2),
      approvalTaskId(workflowId, 'operator', 2),
    ]);
  });

  it('rejects instead of asking for changes again once the rounds are used up', async () => {
    const fake = new FakeOnboarding();
    const result = await run(fake, inputFor('app-rounds', { maxRounds: 1 }), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'operator')).taskId, opAdmin, 'request-changes', 'wrong address');
      return handle.result();
    });
    expect(result).toMatchObject({
      status: 'rejected',
      rounds: 1,
      reason: 'changes were still requested after 1 round; please submit a new application (last request: wrong address)',
    });
    expect(fake.emails()).toEqual(['application-received', 'rejected']);
  });

  it('lets the applicant withdraw while a task waits, closing it', async () => {
    const fake = new FakeOnboarding();
    const workflowId = onboardingWorkflowId('app-withdraw');
    const result = await run(fake, inputFor('app-withdraw'), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      await expect(handle.executeUpdate(withdrawUpdate, { args: [{ by: 'applicant', reason: 'we chose another supplier' }] })).resolves.toMatchObject({
        status: 'withdrawn',
        reason: 'we chose another supplier',
      });
      expect(await refusalOf(decide(handle, task.taskId, opAdmin))).toBe('APPROVAL_ALREADY_DECIDED');
      return handle.result();
    });
    expect(result).toEqual({ applicationId: 'app-withdraw', status: 'withdrawn', rounds: 1, reason: 'we chose another supplier' });
    expect(fake.of('recordWithdrawal')).toEqual([
      { applicationId: 'app-withdraw', by: 'applicant', reason: 'we chose another supplier', at: expect.any(String) },
    ]);
    expect(fake.of('closeApprovalTask')).toEqual([expect.objectContaining({ taskId: approvalTaskId(workflowId, 'operator', 1), status: 'withdrawn' })]);
    expect(fake.statuses()).toEqual(['checking', 'awaiting-operator', 'withdrawn']);
    expect(fake.emails()).toEqual(['application-received', 'withdrawn']);
  });

  it('lets the applicant withdraw while changes are requested, and refuses a second withdrawal', async () => {
    const fake = new FakeOnboarding();
    const result = await run(fake, inputFor('app-withdraw-changes'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'operator')).taskId, opAdmin, 'request-changes', 'which country?');
      await statusOf(handle, 'changes-requested');
      await handle.executeUpdate(withdrawUpdate, { args: [{ by: 'applicant' }] });
      expect(await refusalOf(handle.executeUpdate(withdrawUpdate, { args: [{ by: 'applicant' }] }))).toBe('ONBOARDING_ALREADY_FINISHED');
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'withdrawn', reason: 'withdrawn by applicant' });
    expect(fake.of('closeApprovalTask')).toEqual([]); // nothing was open
    expect(fake.emails()).toEqual(['application-received', 'changes-requested', 'withdrawn']);
  });

  it('takes a confirmed contact e-mail while it waits, and refuses one once approved', async () => {
    const fake = new FakeOnboarding();
    let provision!: () => void;
    fake.provisionGate = new Promise((resolve) => (provision = resolve));
    fake.takenEmails = ['taken@example.test'];
    await run(fake, inputFor('app-email'), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      await expect(handle.executeUpdate(confirmEmailChangeUpdate, { args: [{ email: 'new@example.test' }] })).resolves.toMatchObject({
        status: 'awaiting-operator',
      });
      expect(fake.of('changeApplicantEmail')).toEqual([{ applicationId: 'app-email', email: 'new@example.test' }]);
      // A refusal of the activity refuses the update with its code; the process goes on.
      expect(await refusalOf(handle.executeUpdate(confirmEmailChangeUpdate, { args: [{ email: 'taken@example.test' }] }))).toBe('APPLICATION_EMAIL_TAKEN');
      await decide(handle, task.taskId, opAdmin);
      await statusOf(handle, 'provisioning');
      expect(await refusalOf(handle.executeUpdate(confirmEmailChangeUpdate, { args: [{ email: 'late@example.test' }] }))).toBe('ONBOARDING_ALREADY_FINISHED');
      provision();
      return handle.result();
    });
    expect(fake.of('changeApplicantEmail').map((c) => c.email)).toEqual(['new@example.test', 'taken@example.test']);
  });

  it('provisions only once an e-mail change in flight has been written', async () => {
    const fake = new FakeOnboarding();
    let write!: () => void;
    fake.emailChangeGate = new Promise((resolve) => (write = resolve));
    await run(fake, inputFor('app-email-race'), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      const change = handle.executeUpdate(confirmEmailChangeUpdate, { args: [{ email: 'new@example.test' }] });
      await fake.waitFor('changeApplicantEmail');
      await decide(handle, task.taskId, opAdmin);
      write();
      await change;
      return handle.result();
    });
    const order = fake.calls.map((c) => c.name as string);
    expect(order.indexOf('changeApplicantEmail:done')).toBeLessThan(order.indexOf('provisionPartner'));
  });

  it('reminds the approvers while a task waits', async () => {
    const fake = new FakeOnboarding();
    const workflowId = onboardingWorkflowId('app-remind');
    const taskId = approvalTaskId(workflowId, 'operator', 1);
    const result = await run(fake, inputFor('app-remind', { timings: { reminderEvery: '1s', expiresAfter: '6s' } }), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      await fake.waitFor('sendApproverReminder', (r) => r.reminderNo === 2);
      await decide(handle, task.taskId, opAdmin);
      return handle.result();
    });
    expect(result.status).toBe('active');
    const reminders = fake.of('sendApproverReminder');
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    expect(reminders.slice(0, 2)).toEqual([
      expect.objectContaining({
        taskId,
        round: 1,
        reminderNo: 1,
        idempotencyKey: `${taskId}:reminder:1`,
        policy: { role: 'operator-admin', partyId: OPERATOR, mode: 'any' },
      }),
      expect.objectContaining({ taskId, reminderNo: 2, idempotencyKey: `${taskId}:reminder:2` }),
    ]);
    expect(new Set(reminders.map((r) => r.idempotencyKey)).size).toBe(reminders.length);
  });

  it('expires an undecided task, closes it, tells the applicant, and refuses a late decision', async () => {
    const fake = new FakeOnboarding();
    let release!: () => void;
    fake.expiredCloseGate = new Promise((resolve) => (release = resolve));
    const workflowId = onboardingWorkflowId('app-expire');
    const started = Date.now();
    const result = await run(fake, inputFor('app-expire', { timings: { reminderEvery: '1 hour', expiresAfter: '2s' } }), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      // The workflow has closed the task and is writing that down: a decision now is too late.
      await fake.waitFor('closeApprovalTask', (c) => c.status === 'expired');
      expect(await refusalOf(decide(handle, task.taskId, opAdmin))).toBe('APPROVAL_EXPIRED');
      release();
      return handle.result();
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(result).toEqual({ applicationId: 'app-expire', status: 'expired', rounds: 1, reason: 'no operator decision in time' });
    expect(fake.of('closeApprovalTask')).toEqual([expect.objectContaining({ taskId: approvalTaskId(workflowId, 'operator', 1), status: 'expired' })]);
    expect(fake.statuses()).toEqual(['checking', 'awaiting-operator', 'expired']);
    expect(fake.emails()).toEqual(['application-received', 'expired']);
    expect(fake.of('sendApplicantEmail')[1]).toMatchObject({ idempotencyKey: `${workflowId}:expired`, data: { step: 'operator' } });
    expect(fake.of('recordDecision')).toEqual([]);
  });

  it('needs every approver in "all of" mode, resolving them when the policy names none', async () => {
    const fake = new FakeOnboarding();
    fake.resolvedApprovers = [opAdmin.userId, opAdmin2.userId];
    const result = await run(fake, inputFor('app-all', { kind: 'distributor', operatorPolicy: { mode: 'all' } }), async (handle) => {
      const task = await openTaskOf(handle, 'operator');
      expect(task.policy).toEqual({ role: 'operator-admin', partyId: OPERATOR, mode: 'all', approverIds: [opAdmin.userId, opAdmin2.userId] });

      await expect(decide(handle, task.taskId, opAdmin)).resolves.toEqual({
        taskId: task.taskId,
        accepted: true,
        decision: 'approve',
        taskStatus: 'open',
        decidedAt: expect.any(String),
      });
      const halfway = await openTaskOf(handle, 'operator');
      expect(halfway.approvals).toEqual([expect.objectContaining({ userId: opAdmin.userId, decision: 'approve' })]);
      expect(await refusalOf(decide(handle, task.taskId, opAdmin))).toBe('APPROVAL_ALREADY_DECIDED');
      expect(await refusalOf(decide(handle, task.taskId, opAdmin3))).toBe('APPROVAL_NOT_YOURS'); // an operator-admin, but not named

      await expect(decide(handle, task.taskId, opAdmin2)).resolves.toMatchObject({ outcome: 'approved', taskStatus: 'approved' });
      return handle.result();
    });
    expect(result.status).toBe('active');
    expect(fake.of('resolveApprovers')).toEqual([{ role: 'operator-admin', partyId: OPERATOR }]);
    expect(fake.of('recordDecision').map((r) => [r.decision.decider.userId, r.outcome, r.taskStatus])).toEqual([
      [opAdmin.userId, undefined, 'open'],
      [opAdmin2.userId, 'approved', 'approved'],
    ]);
  });

  it('starts one run per application: a duplicate submit is refused', async () => {
    const fake = new FakeOnboarding();
    const input = inputFor('app-duplicate');
    let handle0RunId: string | undefined;
    await run(fake, input, async (handle, taskQueue) => {
      handle0RunId = (await handle.describe()).runId;
      await openTaskOf(handle, 'operator');
      const again = env.client.workflow.start(ONBOARDING_WORKFLOW, { workflowId: onboardingWorkflowId('app-duplicate'), taskQueue, args: [input] });
      await expect(again).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await handle.executeUpdate(withdrawUpdate, { args: [{ by: 'applicant' }] });
      await handle.result();
    });
    const runs = await eventually(async () => {
      const found: string[] = [];
      for await (const execution of env.client.workflow.list({ query: `WorkflowId = '${onboardingWorkflowId('app-duplicate')}'` })) found.push(execution.runId);
      return found.length > 0 ? found : undefined; // visibility is eventually consistent
    }, 'the run in the visibility store');
    expect(runs).toEqual([handle0RunId]);
    expect(fake.of('runAutomaticChecks')).toHaveLength(1);
  });

  it('fails at once on an input it could never complete', async () => {
    const fake = new FakeOnboarding();
    const error = await run(fake, inputFor('app-invalid', { timings: { reminderEvery: 'soon', expiresAfter: '1 day' } }), (handle) =>
      handle.result().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'ONBOARDING_INVALID_INPUT' });
    expect(fake.calls).toEqual([]);
  });
});
