import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '@wholesail/config';
import { approvalDecisionId, approvalTaskId, type ApprovalTaskView, type RecordDecisionInput } from '@wholesail/contracts';
import { MailInboxClient } from '@wholesail/devstack';
import type { ApprovalPolicy, Decider } from '@wholesail/domain';
import { MailRenderer, MailSender } from '@wholesail/mail';
import { ApprovalDecision, ApprovalTask, EmailMessage, ormConfig, Party, User } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { ApprovalRecords } from '../../activities/approvals/approval.records';
import { ApprovalTaskActivities } from '../../activities/approvals/approval-task.activities';
import { EmailOutbox } from '../../activities/mail/email-outbox.service';
import { testEnv, testStack } from '../support/stack';

/**
 * The approval step's activities on real PostgreSQL and the test SMTP server: each is idempotent
 * (a retry writes and mails nothing twice) and reaches exactly the approvers a policy names.
 */
describe('ApprovalTaskActivities (integration)', () => {
  let orm: MikroORM;
  let activities: ApprovalTaskActivities;
  let inbox: MailInboxClient;
  const quiet = new DefaultLogger('ERROR');
  const act = new MockActivityEnvironment(undefined, { logger: quiet });

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    const config = loadConfig(testEnv());
    const outbox = new EmailOutbox(
      orm.em,
      new MailRenderer(),
      new MailSender({ smtpUrl: testStack().smtpUrl, defaultFrom: config.mailFrom, connectionTimeoutMs: 2000 }),
    );
    activities = new ApprovalTaskActivities(new ApprovalRecords(orm.em), outbox, config);
    inbox = new MailInboxClient(testStack().mailApiUrl);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  /** A client of its own with two active client users, an invited one and a user of another role. */
  async function clientWithUsers() {
    const em = orm.em.fork();
    const tag = randomUUID().slice(0, 8);
    const reseller = await em.findOneOrFail(Party, { code: 'reseller-direct' });
    const client = Party.create({ kind: 'client', name: `Approvals ${tag}`, code: `approvals-${tag}`, parent: reseller });
    const user = (name: string, roles: User['roles'], status: User['status'] = 'active') =>
      em.create(User, { email: `${name}-${tag}@approvals.test`, displayName: name, party: client, roles, status, passwordHash: null });
    const [ann, bea, cid, dan] = [
      user('ann', ['client-user']),
      user('bea', ['client-user']),
      user('cid', ['client-user'], 'invited'),
      user('dan', ['architect']),
    ];
    em.persist([client, ann, bea, cid, dan]);
    await em.flush();
    return { tag, client, ann, bea, cid, dan };
  }

  function taskFor(partyId: string, tag: string, policy: Partial<ApprovalPolicy> = {}): ApprovalTaskView {
    const workflowId = `solution:${tag}`;
    const openedAt = new Date();
    return {
      taskId: approvalTaskId(workflowId, 'client-acceptance', 1),
      workflowId,
      workflowType: 'solutionApproval',
      stepKey: 'client-acceptance',
      round: 1,
      title: `Accept design ${tag}`,
      description: 'Four VMs for the web shop',
      subject: { type: 'solution-design', id: tag, url: `/solutions/${tag}` },
      policy: { role: 'client-user', partyId, mode: 'any', ...policy },
      openedAt: openedAt.toISOString(),
      dueAt: new Date(openedAt.getTime() + 86_400_000).toISOString(),
      status: 'open',
      approvals: [],
    };
  }

  const mailsTo = async (address: string) => (await inbox.list()).filter((m) => m.to.includes(address));
  const decisionOf = (task: ApprovalTaskView, decider: Decider, extra: Partial<RecordDecisionInput> = {}): RecordDecisionInput => ({
    decisionId: approvalDecisionId(task.taskId, decider.userId),
    workflowId: task.workflowId,
    decision: { taskId: task.taskId, decision: 'approve', decider },
    decidedAt: new Date().toISOString(),
    outcome: 'approved',
    taskStatus: 'approved',
    ...extra,
  });
  const asDecider = (user: User): Decider => ({ userId: user.id, email: user.email, partyId: (user.party as Party).id, roles: user.roles });

  it('opens a task once and mails each active approver once, however often it is retried', async () => {
    const { tag, client, ann, bea, cid, dan } = await clientWithUsers();
    const task = taskFor(client.id, tag);
    await act.run(activities.openApprovalTask.bind(activities), task);
    await act.run(activities.openApprovalTask.bind(activities), { ...task, title: 'a retry changes nothing' });

    const row = await orm.em.fork().findOneOrFail(ApprovalTask, { id: task.taskId });
    expect(row).toMatchObject({ workflowType: 'solutionApproval', title: task.title, assigneeRole: 'client-user', assigneePartyId: client.id, status: 'open' });
    const keys = (await orm.em.fork().find(EmailMessage, { subjectRef: `task:${task.taskId}` })).map((m) => m.idempotencyKey).sort();
    expect(keys).toEqual([`${task.taskId}:requested:${ann.id}`, `${task.taskId}:requested:${bea.id}`].sort());
    await inbox.waitFor((m) => m.to.includes(bea.email));
    expect(await mailsTo(ann.email)).toHaveLength(1);
    expect((await mailsTo(ann.email))[0].subject).toContain(task.title);
    expect(await mailsTo(cid.email)).toEqual([]); // invited, not active
    expect(await mailsTo(dan.email)).toEqual([]); // another role
  });

  it('resolves the active users holding a role at a party', async () => {
    const { client, ann, bea } = await clientWithUsers();
    const ids = await act.run(activities.resolveApprovers.bind(activities), { role: 'client-user' as const, partyId: client.id });
    expect(ids).toEqual([ann.id, bea.id]); // ordered by e-mail
  });

  it('records a decision once: the decision row, the approval on the task and its closing', async () => {
    const { tag, client, ann } = await clientWithUsers();
    const task = taskFor(client.id, tag);
    await act.run(activities.openApprovalTask.bind(activities), task);
    const input = decisionOf(task, asDecider(ann), { decision: { taskId: task.taskId, decision: 'approve', decider: asDecider(ann), comment: 'fine' } });
    await act.run(activities.recordDecision.bind(activities), input);
    await act.run(activities.recordDecision.bind(activities), input);

    const em = orm.em.fork();
    expect(await em.find(ApprovalDecision, { taskId: task.taskId })).toEqual([
      expect.objectContaining({ id: input.decisionId, decision: 'approve', comment: 'fine', decidedById: ann.id, outcome: 'approved' }),
    ]);
    const row = await em.findOneOrFail(ApprovalTask, { id: task.taskId });
    expect(row.status).toBe('approved');
    expect(row.closedAt).toEqual(new Date(input.decidedAt));
    expect(row.approvals).toEqual([expect.objectContaining({ userId: ann.id, decision: 'approve', comment: 'fine' })]);
  });

  it('keeps an "all of" task open after the first approval', async () => {
    const { tag, client, ann, bea } = await clientWithUsers();
    const task = taskFor(client.id, tag, { mode: 'all', approverIds: [ann.id, bea.id] });
    await act.run(activities.openApprovalTask.bind(activities), task);
    const { outcome: _none, ...first } = decisionOf(task, asDecider(ann), { taskStatus: 'open' });
    await act.run(activities.recordDecision.bind(activities), first);
    const row = await orm.em.fork().findOneOrFail(ApprovalTask, { id: task.taskId });
    expect(row).toMatchObject({ status: 'open', closedAt: null, approverIds: [ann.id, bea.id] });
    expect(row.approvals.map((a) => a.userId)).toEqual([ann.id]);
  });

  it('closes only an open task', async () => {
    const { tag, client, ann } = await clientWithUsers();
    const open = taskFor(client.id, `${tag}-open`);
    const decided = taskFor(client.id, `${tag}-decided`);
    for (const task of [open, decided]) await act.run(activities.openApprovalTask.bind(activities), task);
    await act.run(activities.recordDecision.bind(activities), decisionOf(decided, asDecider(ann)));

    const closedAt = new Date().toISOString();
    await act.run(activities.closeApprovalTask.bind(activities), { taskId: open.taskId, status: 'withdrawn' as const, closedAt });
    await act.run(activities.closeApprovalTask.bind(activities), { taskId: open.taskId, status: 'expired' as const, closedAt: new Date().toISOString() });
    await act.run(activities.closeApprovalTask.bind(activities), { taskId: decided.taskId, status: 'expired' as const, closedAt });
    const em = orm.em.fork();
    expect(await em.findOneOrFail(ApprovalTask, { id: open.taskId })).toMatchObject({ status: 'withdrawn', closedAt: new Date(closedAt) });
    expect((await em.findOneOrFail(ApprovalTask, { id: decided.taskId })).status).toBe('approved');
  });

  it('reminds only the pending approvers, once per reminder, and counts the reminders sent', async () => {
    const { tag, client, ann, bea } = await clientWithUsers();
    const task = taskFor(client.id, tag, { mode: 'all', approverIds: [ann.id, bea.id] });
    await act.run(activities.openApprovalTask.bind(activities), task);
    const reminder = (reminderNo: number) => ({
      taskId: task.taskId,
      round: 1,
      reminderNo,
      idempotencyKey: `${task.taskId}:reminder:${reminderNo}`,
      dueAt: task.dueAt,
      policy: task.policy,
      pendingApproverIds: [bea.id],
    });
    await act.run(activities.sendApproverReminder.bind(activities), reminder(2));
    await act.run(activities.sendApproverReminder.bind(activities), reminder(2));
    await act.run(activities.sendApproverReminder.bind(activities), reminder(1)); // late retry of an earlier one

    const keys = (await orm.em.fork().find(EmailMessage, { subjectRef: `task:${task.taskId}`, template: 'approval-reminder' }))
      .map((m) => m.idempotencyKey)
      .sort();
    expect(keys).toEqual([`${task.taskId}:reminder:1:${bea.id}`, `${task.taskId}:reminder:2:${bea.id}`]);
    expect((await orm.em.fork().findOneOrFail(ApprovalTask, { id: task.taskId })).remindersSent).toBe(2);
    await inbox.waitFor((m) => m.to.includes(bea.email) && /remind/i.test(m.subject));
    expect((await mailsTo(ann.email)).filter((m) => /remind/i.test(m.subject))).toEqual([]);
  });

  it('fails a reminder of an unknown task for good, and retries a decision whose task is not written yet', async () => {
    const { tag, client, ann } = await clientWithUsers();
    const task = taskFor(client.id, tag);
    const unknown = await act
      .run(activities.sendApproverReminder.bind(activities), {
        taskId: task.taskId,
        round: 1,
        reminderNo: 1,
        idempotencyKey: `${task.taskId}:reminder:1`,
        dueAt: task.dueAt,
        policy: task.policy,
      })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(ApplicationFailure);
    expect(unknown).toMatchObject({ type: 'APPROVAL_UNKNOWN_TASK', nonRetryable: true });

    const early = await act.run(activities.recordDecision.bind(activities), decisionOf(task, asDecider(ann))).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(Error);
    expect(early).not.toBeInstanceOf(ApplicationFailure); // Temporal retries it until openApprovalTask has written the task
    expect(await orm.em.fork().count(ApprovalDecision, { taskId: task.taskId })).toBe(0); // and it wrote nothing
  });
});
