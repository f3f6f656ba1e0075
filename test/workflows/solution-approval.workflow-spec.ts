import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  approvalTaskId,
  PROVISION_SOLUTION_WORKFLOW,
  provisioningWorkflowId,
  RESIZE_SOLUTION_WORKFLOW,
  resizeWorkflowId,
  SOLUTION_APPROVAL_WORKFLOW,
  solutionApprovalWorkflowId,
  solutionStatusQuery,
  submitVersionUpdate,
  withdrawSolutionUpdate,
  type ApprovedVersionPlan,
  type DesignAssessment,
  type SolutionApprovalActivities,
  type SolutionApprovalInput,
  type SolutionApprovalResult,
} from '@wholesail/contracts';
import { DEFAULT_SOLUTION_POLICY, type Decider, type SolutionPolicy } from '@wholesail/domain';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, openTaskOf, refusalOf } from '../support/approval-updates';
import { createLocalTestEnv, sourceBundle } from '../support/temporal-env';
import { waitFor } from '../support/wait-for';
import { RecordedActivities } from '../support/recorded-activities';

const OPERATOR = 'party-operator';
const CLIENT = 'party-umbrella';
const clientUser: Decider = { userId: 'user-uma', email: 'uma@umbrella.test', partyId: CLIENT, roles: ['client-user'] };
const clientUser2: Decider = { userId: 'user-ugo', partyId: CLIENT, roles: ['client-user'] };
const opAdmin: Decider = { userId: 'user-olivia', email: 'olivia@op.test', partyId: OPERATOR, roles: ['operator-admin'] };
const opAdmin2: Decider = { userId: 'user-oscar', partyId: OPERATOR, roles: ['operator-admin'] };
const architect: Decider = { userId: 'user-arthur', partyId: 'party-acme', roles: ['architect'] };

type ActivityName = keyof SolutionApprovalActivities;

/** Activities as plain functions recording their calls; the assessment is set per version. */
class FakeSolutionActivities extends RecordedActivities<ActivityName> {
  policy: SolutionPolicy = { ...DEFAULT_SOLUTION_POLICY, reminderEvery: '1 hour', expiresAfter: '1 day' };
  /** Per version id: what assessing it finds. */
  assessments: Record<string, Partial<Omit<DesignAssessment, 'policy'>>> = {};
  resolvedApprovers: string[] = [];
  /** What an approved version's provisioning finds (the environment already runs it, by default). */
  next: ApprovedVersionPlan = { operation: 'none' };

  readonly activities: SolutionApprovalActivities = {
    assessDesignVersion: async (input) =>
      this.record('assessDesignVersion', input, {
        problems: [],
        weight: { monthlyTotal: '250.00', currency: 'EUR', vcpus: 8 },
        ...this.assessments[input.versionId],
        policy: this.policy,
      }),
    setSolutionStatus: async (input) => this.record('setSolutionStatus', input, undefined),
    sendArchitectEmail: async (input) => this.record('sendArchitectEmail', input, undefined),
    openApprovalTask: async (input) => this.record('openApprovalTask', input, undefined),
    recordDecision: async (input) => this.record('recordDecision', input, undefined),
    closeApprovalTask: async (input) => this.record('closeApprovalTask', input, undefined),
    resolveApprovers: async (input) => this.record('resolveApprovers', input, this.resolvedApprovers),
    sendApproverReminder: async (input) => this.record('sendApproverReminder', input, undefined),
    planApprovedVersion: async (input) => this.record('planApprovedVersion', input, this.next),
  };

  statuses(): string[] {
    return this.of('setSolutionStatus').map((c) => c.status);
  }

  emails(): string[] {
    return this.of('sendArchitectEmail').map((c) => c.template);
  }
}

describe('solutionApproval workflow', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function inputFor(solutionId: string, overrides: Partial<SolutionApprovalInput> = {}): SolutionApprovalInput {
    return {
      solutionId,
      solutionName: 'Web shop',
      clientId: CLIENT,
      clientName: 'Umbrella Corp',
      operatorPartyId: OPERATOR,
      versionId: `${solutionId}-v1`,
      versionNo: 1,
      round: 1,
      ...overrides,
    };
  }

  /** Starts the workflow on a fresh task queue and runs `body` while a worker with `fake` serves it; saves the history when asked. */
  async function run<T>(
    fake: FakeSolutionActivities,
    input: SolutionApprovalInput,
    body: (handle: WorkflowHandle) => Promise<T>,
    history?: string,
  ): Promise<T> {
    const taskQueue = `solution-test-${++queue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await sourceBundle(), activities: fake.activities });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(SOLUTION_APPROVAL_WORKFLOW, {
        workflowId: solutionApprovalWorkflowId(input.solutionId),
        taskQueue,
        args: [input],
      });
      const result = await body(handle);
      if (history && process.env.RECORD_HISTORIES) {
        await handle.result().catch(() => undefined);
        writeFileSync(join(__dirname, `../replay/histories/solution-approval.${history}.json`), JSON.stringify(await handle.fetchHistory(), null, 1));
      }
      return result;
    });
  }

  const statusOf = (handle: WorkflowHandle, status: string) =>
    waitFor(async () => ((await handle.query(solutionStatusQuery)).status === status ? true : undefined), 20_000, 50);

  it('below the thresholds: the client accepts and the version is approved, without the operator', async () => {
    const fake = new FakeSolutionActivities();
    const workflowId = solutionApprovalWorkflowId('sol-approve');
    const result = await run(
      fake,
      inputFor('sol-approve'),
      async (handle) => {
        const task = await openTaskOf(handle, 'client');
        expect(task).toMatchObject({
          taskId: approvalTaskId(workflowId, 'client', 1),
          workflowType: SOLUTION_APPROVAL_WORKFLOW,
          title: 'Accept the solution design Web shop (version 1)',
          subject: { type: 'solution-design', id: 'sol-approve', url: '/solutions/sol-approve/versions/1' },
          policy: { role: 'client-user', partyId: CLIENT, mode: 'any' },
        });
        expect(task.description).toContain('8 vCPUs, 250.00 EUR a month');
        expect(Date.parse(task.dueAt) - Date.parse(task.openedAt)).toBe(86_400_000);
        expect(await refusalOf(decide(handle, task.taskId, opAdmin))).toBe('APPROVAL_NOT_YOURS');
        expect(await refusalOf(decide(handle, task.taskId, architect))).toBe('APPROVAL_NOT_YOURS');
        await expect(decide(handle, task.taskId, clientUser)).resolves.toMatchObject({ outcome: 'approved' });
        return handle.result();
      },
      'approve',
    );
    expect(result).toEqual<SolutionApprovalResult>({
      solutionId: 'sol-approve',
      status: 'approved',
      round: 1,
      versionId: 'sol-approve-v1',
      versionNo: 1,
      approvedVersionId: 'sol-approve-v1',
    });
    expect(fake.statuses()).toEqual(['validating', 'awaiting-client', 'approved']);
    expect(fake.of('openApprovalTask').map((t) => t.stepKey)).toEqual(['client']);
    expect(fake.of('assessDesignVersion')).toEqual([{ solutionId: 'sol-approve', versionId: 'sol-approve-v1', round: 1 }]);
    expect(fake.of('sendArchitectEmail')).toEqual([
      { template: 'solution-approved', data: {}, solutionId: 'sol-approve', versionId: 'sol-approve-v1', idempotencyKey: `${workflowId}:approved:1` },
    ]);
  });

  it('an approved version starts its provisioning (or resize): a workflow of its own that outlives the case', async () => {
    const solutionId = '5a1e0000-0000-4000-8000-00000000a001';
    const versionId = 'de510000-0000-4000-8000-00000000a001';
    const plan = {
      solutionId,
      clientId: 'c11e0000-0000-4000-8000-00000000a001',
      resellerId: 'a5e10000-0000-4000-8000-00000000a001',
      designVersionId: versionId,
      networks: [{ key: 'lan', name: 'LAN', cidr: '10.0.1.0/24' }],
      vms: [{ key: 'web', name: 'Web', template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 10, networks: ['lan'], billing: [{ sku: 'VCPU', quantity: '1' }] }],
      volumes: [],
      publicIps: [],
    };
    for (const operation of ['provision', 'resize'] as const) {
      const fake = new FakeSolutionActivities();
      fake.next = { operation, plan };
      const result = await run(
        fake,
        inputFor(solutionId, { versionId, round: operation === 'provision' ? 1 : 2 }),
        async (handle) => {
          await decide(handle, (await openTaskOf(handle, 'client', operation === 'provision' ? 1 : 2)).taskId, clientUser);
          return handle.result();
        },
        operation === 'provision' ? 'approve-provisions' : undefined,
      );
      const workflowId = operation === 'provision' ? provisioningWorkflowId(solutionId, versionId) : resizeWorkflowId(solutionId, versionId);
      expect(result).toMatchObject({ status: 'approved', approvedVersionId: versionId, provisioning: { operation, workflowId } });
      expect(fake.of('planApprovedVersion')).toEqual([{ solutionId, versionId }]);
      // The case has ended; the provisioning it started runs on (this worker has no provisioning activities: it waits for them).
      const child = env.client.workflow.getHandle(workflowId);
      const described = await child.describe();
      expect(described).toMatchObject({
        type: operation === 'provision' ? PROVISION_SOLUTION_WORKFLOW : RESIZE_SOLUTION_WORKFLOW,
        status: { name: 'RUNNING' },
      });
      await child.terminate('test over');
    }
  });

  it('above the monthly total: the client accepts, then the operator approves', async () => {
    const fake = new FakeSolutionActivities();
    fake.assessments['sol-total-v1'] = { problems: [], weight: { monthlyTotal: '1000.01', currency: 'EUR', vcpus: 8 } };
    const result = await run(
      fake,
      inputFor('sol-total'),
      async (handle) => {
        await decide(handle, (await openTaskOf(handle, 'client')).taskId, clientUser);
        const operator = await openTaskOf(handle, 'operator');
        expect(operator.policy).toEqual({ role: 'operator-admin', partyId: OPERATOR, mode: 'any' });
        expect(operator.description).toContain('because its monthly total of 1000.01 EUR is above 1000.00 EUR');
        expect(await handle.query(solutionStatusQuery)).toMatchObject({
          status: 'awaiting-operator',
          operatorReasons: ['its monthly total of 1000.01 EUR is above 1000.00 EUR'],
        });
        expect(await refusalOf(decide(handle, operator.taskId, clientUser))).toBe('APPROVAL_NOT_YOURS');
        await decide(handle, operator.taskId, opAdmin);
        return handle.result();
      },
      'operator',
    );
    expect(result.status).toBe('approved');
    expect(fake.statuses()).toEqual(['validating', 'awaiting-client', 'awaiting-operator', 'approved']);
  });

  it('above the vCPUs: the operator approves too; exactly at both thresholds it does not', async () => {
    const fake = new FakeSolutionActivities();
    fake.assessments['sol-vcpus-v1'] = { problems: [], weight: { monthlyTotal: '10.00', currency: 'EUR', vcpus: 33 } };
    fake.assessments['sol-edge-v1'] = { problems: [], weight: { monthlyTotal: '1000.00', currency: 'EUR', vcpus: 32 } };
    await run(fake, inputFor('sol-vcpus'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'client')).taskId, clientUser);
      expect((await openTaskOf(handle, 'operator')).description).toContain('its 33 vCPUs are more than 32');
      await decide(handle, (await openTaskOf(handle, 'operator')).taskId, opAdmin);
      await expect(handle.result()).resolves.toMatchObject({ status: 'approved' });
    });
    await run(fake, inputFor('sol-edge'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'client')).taskId, clientUser);
      await expect(handle.result()).resolves.toMatchObject({ status: 'approved' });
    });
    expect(fake.of('openApprovalTask').map((t) => `${t.workflowId}:${t.stepKey}`)).toEqual([
      'solution-approval:sol-vcpus:client',
      'solution-approval:sol-vcpus:operator',
      'solution-approval:sol-edge:client',
    ]);
  });

  it('"all of": every client user and every named operator-admin must approve', async () => {
    const fake = new FakeSolutionActivities();
    fake.policy = {
      ...fake.policy,
      clientAcceptance: { mode: 'all' },
      operatorApproval: { monthlyTotalAbove: null, vcpusAbove: 0, mode: 'all', approverIds: [opAdmin.userId, opAdmin2.userId] },
    };
    fake.resolvedApprovers = [clientUser.userId, clientUser2.userId];
    const result = await run(
      fake,
      inputFor('sol-all'),
      async (handle) => {
        const client = await openTaskOf(handle, 'client');
        expect(client.policy).toEqual({ role: 'client-user', partyId: CLIENT, mode: 'all', approverIds: [clientUser.userId, clientUser2.userId] });
        await expect(decide(handle, client.taskId, clientUser)).resolves.toMatchObject({ taskStatus: 'open' });
        await expect(decide(handle, client.taskId, clientUser2)).resolves.toMatchObject({ outcome: 'approved' });
        const operator = await openTaskOf(handle, 'operator');
        expect(operator.policy).toEqual({ role: 'operator-admin', partyId: OPERATOR, mode: 'all', approverIds: [opAdmin.userId, opAdmin2.userId] });
        await expect(decide(handle, operator.taskId, opAdmin)).resolves.toMatchObject({ taskStatus: 'open' });
        expect(await handle.query(solutionStatusQuery)).toMatchObject({ status: 'awaiting-operator' });
        await expect(decide(handle, operator.taskId, opAdmin2)).resolves.toMatchObject({ outcome: 'approved' });
        return handle.result();
      },
      'all-of',
    );
    expect(result.status).toBe('approved');
    expect(fake.of('resolveApprovers')).toEqual([{ role: 'client-user', partyId: CLIENT }]);
    expect(fake.of('recordDecision')).toHaveLength(4);
  });

  it('rejects, telling the architect why', async () => {
    const fake = new FakeSolutionActivities();
    const result = await run(
      fake,
      inputFor('sol-reject'),
      async (handle) => {
        const task = await openTaskOf(handle, 'client');
        expect(await refusalOf(decide(handle, task.taskId, clientUser, 'reject'))).toBe('APPROVAL_COMMENT_REQUIRED');
        await decide(handle, task.taskId, clientUser, 'reject', 'we went with another provider');
        return handle.result();
      },
      'reject',
    );
    expect(result).toMatchObject({ status: 'rejected', reason: 'we went with another provider' });
    expect(fake.statuses()).toEqual(['validating', 'awaiting-client', 'rejected']);
    expect(fake.of('setSolutionStatus').at(-1)).toMatchObject({ status: 'rejected', reason: 'we went with another provider', versionId: 'sol-reject-v1' });
    expect(fake.of('sendArchitectEmail')).toEqual([
      expect.objectContaining({ template: 'solution-rejected', data: { reason: 'we went with another provider' } }),
    ]);
  });

  it('changes requested: back to the architect with the comment; a new version resumes the same case in round 2 and is approved', async () => {
    const fake = new FakeSolutionActivities();
    fake.assessments['sol-changes-v2'] = { problems: [], weight: { monthlyTotal: '1500.00', currency: 'EUR', vcpus: 12 } };
    const workflowId = solutionApprovalWorkflowId('sol-changes');
    const result = await run(
      fake,
      inputFor('sol-changes'),
      async (handle) => {
        const first = await openTaskOf(handle, 'client', 1);
        expect(await refusalOf(handle.executeUpdate(submitVersionUpdate, { args: [{ versionId: 'sol-changes-v2', versionNo: 2, by: 'user:arthur' }] }))).toBe(
          'SOLUTION_NOT_SUBMITTABLE',
        );
        await decide(handle, first.taskId, clientUser, 'request-changes', 'we need a second web server');
        await statusOf(handle, 'changes-requested');
        expect(await handle.query(solutionStatusQuery)).toMatchObject({
          round: 1,
          changesRequested: { comment: 'we need a second web server', by: clientUser.userId, byEmail: clientUser.email, stepKey: 'client' },
        });
        await expect(
          handle.executeUpdate(submitVersionUpdate, { args: [{ versionId: 'sol-changes-v2', versionNo: 2, by: 'user:arthur' }] }),
        ).resolves.toMatchObject({ status: 'validating', round: 2, versionId: 'sol-changes-v2', versionNo: 2 });
        const second = await openTaskOf(handle, 'client', 2);
        expect(second.taskId).toBe(approvalTaskId(workflowId, 'client', 2));
        expect(second.title).toBe('Accept the solution design Web shop (version 2)');
        expect(await refusalOf(decide(handle, first.taskId, clientUser))).toBe('APPROVAL_ALREADY_DECIDED');
        await decide(handle, second.taskId, clientUser);
        await decide(handle, (await openTaskOf(handle, 'operator', 2)).taskId, opAdmin);
        return handle.result();
      },
      'changes-then-approve',
    );
    expect(result).toMatchObject({ status: 'approved', round: 2, versionId: 'sol-changes-v2', versionNo: 2, approvedVersionId: 'sol-changes-v2' });
    expect(fake.statuses()).toEqual(['validating', 'awaiting-client', 'changes-requested', 'validating', 'awaiting-client', 'awaiting-operator', 'approved']);
    expect(fake.of('setSolutionStatus').map((s) => `${s.versionId}:${s.round}:${s.status}`)).toContain('sol-changes-v1:1:changes-requested');
    expect(fake.of('setSolutionStatus').find((s) => s.status === 'changes-requested').changesRequested).toMatchObject({
      comment: 'we need a second web server',
      respondBy: expect.any(String),
    });
    expect(fake.emails()).toEqual(['solution-changes-requested', 'solution-approved']);
    expect(fake.of('sendArchitectEmail')[0]).toMatchObject({
      idempotencyKey: `${workflowId}:changes-requested:1`,
      versionId: 'sol-changes-v1',
      data: { comment: 'we need a second web server', problems: [] },
    });
    expect(fake.of('assessDesignVersion').map((a) => [a.versionId, a.round])).toEqual([
      ['sol-changes-v1', 1],
      ['sol-changes-v2', 2],
    ]);
  });

  it('sends a version that no longer validates back to the architect with the problems, without asking anyone', async () => {
    const fake = new FakeSolutionActivities();
    const problems = [{ field: 'vms[web-1].template', problem: 'VM-OLD (Old template) is retired and can no longer be ordered: choose another item' }];
    fake.assessments['sol-invalid-v1'] = { problems };
    const result = await run(
      fake,
      inputFor('sol-invalid'),
      async (handle) => {
        await statusOf(handle, 'changes-requested');
        expect((await handle.query(solutionStatusQuery)).changesRequested).toMatchObject({ by: 'validation', stepKey: 'validation', problems });
        await handle.executeUpdate(submitVersionUpdate, { args: [{ versionId: 'sol-invalid-v2', versionNo: 2, by: 'user:arthur' }] });
        await decide(handle, (await openTaskOf(handle, 'client', 2)).taskId, clientUser);
        return handle.result();
      },
      'invalid-then-approve',
    );
    expect(result).toMatchObject({ status: 'approved', round: 2 });
    expect(fake.of('sendArchitectEmail')[0]).toMatchObject({ template: 'solution-changes-requested', data: { problems } });
    expect(fake.of('openApprovalTask').map((t) => t.round)).toEqual([2]);
  });

  it('expires an undecided step, closing its task and telling the architect', async () => {
    const fake = new FakeSolutionActivities();
    fake.policy = { ...fake.policy, reminderEvery: '1s', expiresAfter: '3s' };
    const started = Date.now();
    const result = await run(
      fake,
      inputFor('sol-expire'),
      async (handle) => {
        const task = await openTaskOf(handle, 'client');
        const done = await handle.result();
        expect(await handle.query(solutionStatusQuery)).toMatchObject({ status: 'expired' });
        expect(task.taskId).toBe(approvalTaskId(solutionApprovalWorkflowId('sol-expire'), 'client', 1));
        return done;
      },
      'expire',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(result).toMatchObject({ status: 'expired', reason: 'no client decision in time' });
    expect(fake.of('sendApproverReminder').length).toBeGreaterThanOrEqual(1);
    expect(fake.of('closeApprovalTask')).toEqual([
      expect.objectContaining({ taskId: approvalTaskId(solutionApprovalWorkflowId('sol-expire'), 'client', 1), status: 'expired' }),
    ]);
    expect(fake.statuses()).toEqual(['validating', 'awaiting-client', 'expired']);
    expect(fake.of('sendArchitectEmail')).toEqual([expect.objectContaining({ template: 'solution-expired', data: { step: 'client' } })]);
  });

  it('expires when no new version comes after changes were requested, reminding the architect', async () => {
    const fake = new FakeSolutionActivities();
    fake.policy = { ...fake.policy, reminderEvery: '1s', expiresAfter: '3s' };
    const result = await run(
      fake,
      inputFor('sol-expire-changes'),
      async (handle) => {
        await decide(handle, (await openTaskOf(handle, 'client')).taskId, clientUser, 'request-changes', 'smaller please');
        return handle.result();
      },
      'expire-changes',
    );
    expect(result).toMatchObject({ status: 'expired', reason: 'no new version was submitted in time' });
    const mails = fake.of('sendArchitectEmail');
    expect(mails[0]).toMatchObject({ template: 'solution-changes-requested', data: { comment: 'smaller please' } });
    expect(mails.some((m) => m.template === 'solution-changes-requested' && m.data.reminderNo === 1)).toBe(true);
    expect(mails.at(-1)).toMatchObject({ template: 'solution-expired', data: { step: 'resubmission' } });
  });

  it('lets the architect withdraw while the client decides, closing the task; a late decision is refused', async () => {
    const fake = new FakeSolutionActivities();
    const result = await run(
      fake,
      inputFor('sol-withdraw'),
      async (handle) => {
        const task = await openTaskOf(handle, 'client');
        await expect(
          handle.executeUpdate(withdrawSolutionUpdate, { args: [{ by: 'user:arthur', reason: 'the client wants to wait a quarter' }] }),
        ).resolves.toMatchObject({
          status: 'withdrawn',
        });
        expect(await refusalOf(decide(handle, task.taskId, clientUser))).toBe('APPROVAL_ALREADY_DECIDED');
        return handle.result();
      },
      'withdraw',
    );
    expect(result).toMatchObject({ status: 'withdrawn', reason: 'the client wants to wait a quarter' });
    expect(fake.of('closeApprovalTask')).toEqual([expect.objectContaining({ status: 'withdrawn' })]);
    expect(fake.statuses()).toEqual(['validating', 'awaiting-client', 'withdrawn']);
    expect(fake.emails()).toEqual([]);
  });

  it('lets the architect withdraw while changes are requested, and refuses a second withdrawal', async () => {
    const fake = new FakeSolutionActivities();
    const result = await run(fake, inputFor('sol-withdraw-changes'), async (handle) => {
      await decide(handle, (await openTaskOf(handle, 'client')).taskId, clientUser, 'request-changes', 'which region?');
      await statusOf(handle, 'changes-requested');
      await handle.executeUpdate(withdrawSolutionUpdate, { args: [{ by: 'user:arthur' }] });
      expect(await refusalOf(handle.executeUpdate(withdrawSolutionUpdate, { args: [{ by: 'user:arthur' }] }))).toBe('SOLUTION_NOT_WITHDRAWABLE');
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'withdrawn', reason: 'withdrawn by user:arthur' });
    expect(fake.of('closeApprovalTask')).toEqual([]);
  });

  it('continues the solution’s rounds in a later case run, so task ids never repeat', async () => {
    const fake = new FakeSolutionActivities();
    await run(fake, inputFor('sol-again', { versionId: 'sol-again-v4', versionNo: 4, round: 3 }), async (handle) => {
      const task = await openTaskOf(handle, 'client', 3);
      expect(task.taskId).toBe(approvalTaskId(solutionApprovalWorkflowId('sol-again'), 'client', 3));
      await decide(handle, task.taskId, clientUser);
      await expect(handle.result()).resolves.toMatchObject({ status: 'approved', round: 3 });
    });
  });

  it('fails at once on an input it could never complete', async () => {
    const fake = new FakeSolutionActivities();
    const error = await run(fake, inputFor('sol-invalid-input', { round: 0 }), (handle) =>
      handle.result().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'SOLUTION_INVALID_INPUT' });
    expect(fake.calls).toEqual([]);
  });
});
