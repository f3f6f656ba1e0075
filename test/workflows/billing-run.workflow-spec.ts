import { WorkflowFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  approvalTaskId,
  billingApprovalKey,
  BILLING_RUN_WORKFLOW,
  billingRunWorkflowId,
  rerateUpdate,
  runProgressQuery,
  type ApprovalActivities,
  type BillingEmailActivities,
  type BillingRunInput,
  type BillingRunOwnActivities,
  type BillingRunResult,
  type CheckResult,
} from '@wholesail/contracts';
import type { Decider } from '@wholesail/domain';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, openTaskOf, refusalOf } from '../support/approval-updates';
import { createLocalTestEnv, sourceBundle } from '../support/temporal-env';
import { waitFor } from '../support/wait-for';
import { RecordedActivities } from '../support/recorded-activities';

const OPERATOR = 'party-operator';
const finance: Decider = { userId: 'user-finance', partyId: OPERATOR, roles: ['operator-finance'] };
const admin: Decider = { userId: 'user-admin', partyId: OPERATOR, roles: ['operator-admin'] };

type Activities = BillingRunOwnActivities & ApprovalActivities & BillingEmailActivities;
type ActivityName = keyof Activities;

/**
 * The run's activities as plain functions recording their calls: `clients` clients rated in pages,
 * `issuerPages` pages of numbering, `documents` documents to e-mail; the check answers `checks`
 * (one per round, ok by default). A send may fail `failSends` times first (SMTP down).
 */
class FakeBilling extends RecordedActivities<ActivityName> {
  clients = 7;
  documents = ['doc-1', 'doc-2', 'doc-3'];
  checks: CheckResult[] = [];
  failSends = 0;
  private sendAttempts = 0;

  readonly activities: Activities = {
    startBillingRound: async (input) => this.record('startBillingRound', input, { clientsTotal: this.clients, currency: 'EUR' }),
    freezeBillingUsage: async (input) => this.record('freezeBillingUsage', input, { eventCount: 10, lineCount: 0, alreadyFrozen: false }),
    rateBillingPage: async (input) => {
      const done = (input.page - 1) * input.pageSize;
      const clients = Math.max(0, Math.min(input.pageSize, this.clients - done));
      return this.record('rateBillingPage', input, {
        page: input.page,
        clients,
        ratedLines: clients * 2,
        documentLines: clients * 3,
        excluded: 0,
        lastClientId: clients ? `client-${done + clients}` : null,
      });
    },
    computeBillingVolumes: async (input) => this.record('computeBillingVolumes', input, { distributors: 2 }),
    cutBillingPage: async (input) => this.record('cutBillingPage', input, { page: input.page, cutLines: 3, violations: 0 }),
    finishBillingDrafts: async (input) => this.record('finishBillingDrafts', input, { documents: this.documents.length }),
    checkBillingRun: async (input) =>
      this.record('checkBillingRun', input, this.checks[input.round - 1] ?? { ok: true, violations: [], violationCount: 0, totals: { wholesale: '50.00' } }),
    summariseBillingRun: async (input) => this.record('summariseBillingRun', input, undefined),
    setBillingRunStatus: async (input) => this.record('setBillingRunStatus', input, undefined),
    numberBillingDocuments: async (input) =>
      this.record('numberBillingDocuments', input, {
        issuers: input.afterIssuerId ? 0 : 2,
        numbered: input.afterIssuerId ? 0 : this.documents.length,
        lastIssuerId: input.afterIssuerId ? null : 'issuer-2',
        documentsFinal: this.documents.length,
      }),
    finaliseBillingPeriod: async (input) => this.record('finaliseBillingPeriod', input, undefined),
    listBillingDocumentsToEmail: async (input) => {
      const rest = this.documents.filter((d) => input.afterDocumentId === null || d > input.afterDocumentId).slice(0, input.limit);
      return this.record('listBillingDocumentsToEmail', input, { documentIds: rest, lastDocumentId: rest.at(-1) ?? null, emailsTotal: this.documents.length });
    },
    recordBillingEmailsSent: async (input) => this.record('recordBillingEmailsSent', input, undefined),
    sendBillingDocument: async (input) => {
      if (++this.sendAttempts <= this.failSends) throw new Error('connect ECONNREFUSED 127.0.0.1:2525');
      return this.record('sendBillingDocument', input, { documentId: input.documentId, status: 'sent', messageId: `<${input.documentId}@wholesail>` });
    },
    openApprovalTask: async (input) => this.record('openApprovalTask', input, undefined),
    recordDecision: async (input) => this.record('recordDecision', input, undefined),
    closeApprovalTask: async (input) => this.record('closeApprovalTask', input, undefined),
    resolveApprovers: async (input) => this.record('resolveApprovers', input, ['user-finance']),
    sendApproverReminder: async (input) => this.record('sendApproverReminder', input, undefined),
  };

  statuses(): string[] {
    return this.of('setBillingRunStatus').map((c) => `${c.status}/${c.phase}`);
  }
}

describe('billingRun workflow', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function inputFor(runId: string, overrides: Partial<BillingRunInput> = {}): BillingRunInput {
    return {
      runId,
      period: '2026-10',
      mode: 'run',
      operatorPartyId: OPERATOR,
      timings: { reminderEvery: '1 hour', expiresAfter: '1 day' },
      pageSize: 3,
      emailConcurrency: 2,
      pagesPerRun: 2,
      ...overrides,
    };
  }

  async function run<T>(fake: FakeBilling, input: BillingRunInput, body: (handle: WorkflowHandleWithFirstExecutionRunId) => Promise<T>): Promise<T> {
    const taskQueue = `billing-test-${++queue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await sourceBundle(), activities: fake.activities });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(BILLING_RUN_WORKFLOW, {
        workflowId: `${billingRunWorkflowId(input.period)}:${input.runId}`,
        taskQueue,
        args: [input],
      });
      return body(handle);
    });
  }

  /** Every run of a chain continued as new, oldest first. */
  async function histories(handle: WorkflowHandleWithFirstExecutionRunId): Promise<temporal.api.history.v1.IHistory[]> {
    const all: temporal.api.history.v1.IHistory[] = [];
    for (let runId: string | null | undefined = handle.firstExecutionRunId; runId;) {
      const history = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      all.push(history);
      const last = history.events?.at(-1);
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    }
    return all;
  }

  async function saveHistories(handle: WorkflowHandleWithFirstExecutionRunId, name: string): Promise<void> {
    if (!process.env.RECORD_HISTORIES) return;
    (await histories(handle)).forEach((history, i) =>
      writeFileSync(join(__dirname, `../replay/histories/billing-run.${name}.${i + 1}.json`), JSON.stringify(history, null, 1)),
    );
  }

  const task = (runId: string, round = 1) => approvalTaskId(billingApprovalKey('2026-10', runId), 'finance', round);

  it('rates and cuts in pages (continuing as new), asks finance, numbers, finalises and e-mails every document once', async () => {
    const fake = new FakeBilling();
    const input = inputFor('run-approve');
    const result = await run(fake, input, async (handle) => {
      const open = await openTaskOf(handle, 'finance');
      expect(open).toMatchObject({
        taskId: task('run-approve'),
        policy: { role: 'operator-finance', partyId: OPERATOR, mode: 'any' },
        subject: { type: 'billing-run', id: 'run-approve', url: '/billing/runs/2026-10' },
      });
      expect(await handle.query(runProgressQuery)).toMatchObject({
        status: 'awaiting-approval',
        phase: 'approval',
        clientsRated: 7,
        clientsTotal: 7,
        documentsTotal: 3,
      });
      // Only finance decides, and a re-rate is refused while nothing was asked to change.
      expect(await refusalOf(decide(handle, open.taskId, admin))).toBe('APPROVAL_NOT_YOURS');
      expect(await refusalOf(handle.executeUpdate(rerateUpdate, { args: [{ by: 'user:x' }] }))).toBe('BILLING_RUN_NOT_AWAITING_RERATE');
      await decide(handle, open.taskId, finance, 'approve');
      const done = (await handle.result()) as BillingRunResult;
      expect((await histories(handle)).length).toBeGreaterThan(2);
      await saveHistories(handle, 'approve');
      return done;
    });
    expect(result).toEqual({ runId: 'run-approve', period: '2026-10', status: 'completed', rounds: 1 });
    expect(fake.of('rateBillingPage').map((c) => [c.page, c.afterClientId])).toEqual([
      [1, null],
      [2, 'client-3'],
      [3, 'client-6'],
      [4, 'client-7'],
    ]);
    expect(fake.of('cutBillingPage').map((c) => c.page)).toEqual([1, 2, 3]);
    expect(fake.statuses()).toEqual([
      'running/rate',
      'running/cuts',
      'running/drafts',
      'running/check',
      'awaiting-approval/approval',
      'finalising/finalise',
      'emailing/email',
      'emailing/publish',
      'completed/done',
    ]);
    expect(fake.of('setBillingRunStatus').find((c) => c.status === 'finalising').decision).toMatchObject({ decision: 'approve', by: 'user-finance' });
    expect(fake.of('numberBillingDocuments').map((c) => c.afterIssuerId)).toEqual([null, 'issuer-2']);
    expect(fake.of('finaliseBillingPeriod')).toHaveLength(1);
    expect(
      fake
        .of('sendBillingDocument')
        .map((c) => c.documentId)
        .sort(),
    ).toEqual(['doc-1', 'doc-2', 'doc-3']);
    expect(fake.of('recordBillingEmailsSent').at(-1)).toEqual({ runId: 'run-approve', emailsSent: 3 });
  });

  it('stops on a rejection with finance’s comment, before numbering anything', async () => {
    const fake = new FakeBilling();
    const result = await run(fake, inputFor('run-reject'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'finance')).taskId, finance, 'reject', 'wrong prices for Acme');
      return handle.result() as Promise<BillingRunResult>;
    });
    expect(result).toEqual({ runId: 'run-reject', period: '2026-10', status: 'rejected', rounds: 1, reason: 'wrong prices for Acme' });
    expect(fake.statuses().at(-1)).toBe('rejected/done');
    expect(fake.of('setBillingRunStatus').at(-1).decision).toMatchObject({ decision: 'reject', comment: 'wrong prices for Acme' });
    expect(fake.of('numberBillingDocuments')).toEqual([]);
    expect(fake.of('sendBillingDocument')).toEqual([]);
  });

  it('after changes are requested, waits for the re-rate, rates again in round 2 and asks anew', async () => {
    const fake = new FakeBilling();
    const result = await run(fake, inputFor('run-changes'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'finance')).taskId, finance, 'request-changes', 'Globex moved on the 10th, not the 12th');
      await waitFor(async () => ((await handle.query(runProgressQuery)).status === 'changes-requested' ? true : undefined));
      const progress = await handle.executeUpdate(rerateUpdate, { args: [{ by: 'user:user-finance', comment: 'move fixed' }] });
      expect(progress).toMatchObject({ round: 2 });
      // The same update again is refused: the run no longer waits for one.
      expect(await refusalOf(handle.executeUpdate(rerateUpdate, { args: [{ by: 'user:user-finance' }] }))).toBe('BILLING_RUN_NOT_AWAITING_RERATE');
      const second = await openTaskOf(handle, 'finance', 2);
      expect(second.taskId).toBe(task('run-changes', 2));
      await decide(handle, second.taskId, finance, 'approve');
      const done = (await handle.result()) as BillingRunResult;
      await saveHistories(handle, 'changes-then-approve');
      return done;
    });
    expect(result).toMatchObject({ status: 'completed', rounds: 2 });
    expect(fake.of('startBillingRound').map((c) => c.round)).toEqual([1, 2]);
    expect(fake.of('freezeBillingUsage')).toHaveLength(2);
    expect(
      fake
        .of('rateBillingPage')
        .filter((c) => c.round === 2)
        .map((c) => c.page),
    ).toEqual([1, 2, 3, 4]);
    expect(fake.statuses()).toContain('changes-requested/approval');
    expect(fake.of('setBillingRunStatus').find((c) => c.status === 'changes-requested').decision).toMatchObject({
      decision: 'request-changes',
      comment: 'Globex moved on the 10th, not the 12th',
    });
    expect(fake.of('sendBillingDocument')).toHaveLength(3);
  });

  it('reminds finance and expires when nobody decides in time', async () => {
    const fake = new FakeBilling();
    const result = await run(
      fake,
      inputFor('run-expire', { timings: { reminderEvery: '1s', expiresAfter: '3500ms' } }),
      (handle) => handle.result() as Promise<BillingRunResult>,
    );
    expect(result).toMatchObject({ status: 'expired', reason: 'finance did not decide in time' });
    expect(fake.of('sendApproverReminder').length).toBeGreaterThanOrEqual(2);
    expect(fake.of('closeApprovalTask')).toEqual([expect.objectContaining({ taskId: task('run-expire'), status: 'expired' })]);
    expect(fake.of('numberBillingDocuments')).toEqual([]);
  });

  it('stops before approval when the ledger breaks an invariant, saying which', async () => {
    const fake = new FakeBilling();
    fake.checks = [
      {
        ok: false,
        violationCount: 1,
        totals: {},
        violations: [
          {
            invariant: 'wholesale-split',
            subject: '2026-10',
            expected: '50.00',
            actual: '50.01',
            message: 'Σ wholesale 50.01 ≠ operator net 40.50 + Σ distributor cuts 6.50 + Σ operator-funded agent cuts 3.00',
          },
        ],
      },
    ];
    const result = await run(fake, inputFor('run-broken'), (handle) => handle.result() as Promise<BillingRunResult>);
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.reason).toContain('wholesale-split');
    const failed = fake.of('setBillingRunStatus').at(-1);
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'BILLING_INVARIANT_BROKEN', violations: [expect.objectContaining({ invariant: 'wholesale-split' })] },
    });
    expect(fake.of('openApprovalTask')).toEqual([]);
    expect(fake.of('numberBillingDocuments')).toEqual([]);
  });

  it('a dry run freezes, numbers and sends nothing, and keeps every figure', async () => {
    const fake = new FakeBilling();
    const result = await run(fake, inputFor('run-dry', { mode: 'what-if' }), (handle) => handle.result() as Promise<BillingRunResult>);
    expect(result).toMatchObject({ status: 'completed', rounds: 1 });
    expect(fake.of('freezeBillingUsage')).toEqual([]);
    expect(fake.of('summariseBillingRun')).toHaveLength(1);
    expect(fake.of('openApprovalTask')).toEqual([]);
    expect(fake.of('numberBillingDocuments')).toEqual([]);
    expect(fake.of('sendBillingDocument')).toEqual([]);
  });

  it('retries an e-mail while SMTP is down, sending each document once it is back', async () => {
    const fake = new FakeBilling();
    fake.failSends = 2;
    const result = await run(fake, inputFor('run-smtp'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'finance')).taskId, finance, 'approve');
      return handle.result() as Promise<BillingRunResult>;
    });
    expect(result.status).toBe('completed');
    expect(
      fake
        .of('sendBillingDocument')
        .map((c) => c.documentId)
        .sort(),
    ).toEqual(['doc-1', 'doc-2', 'doc-3']);
  });

  it('refuses an input it could never run', async () => {
    const fake = new FakeBilling();
    const error = await run(fake, inputFor('run-bad', { period: '2026-13' }), (handle) =>
      handle.result().then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as { type?: string }).type).toBe('BILLING_RUN_INVALID_INPUT');
  });
});
