import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '@wholesail/config';
import { MailInboxClient } from '@wholesail/devstack';
import { DesignAssessor, SolutionStore } from '@wholesail/designs';
import type { DesignAssessment } from '@wholesail/contracts';
import type { DesignGraph } from '@wholesail/domain';
import { MailRenderer, MailSender } from '@wholesail/mail';
import { DesignVersion, EmailMessage, ormConfig, Party, Solution, User } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { EmailOutbox } from '../../activities/mail/email-outbox.service';
import { SolutionApprovalActivities } from '../../activities/solutions/solution-approval.activities';
import { testEnv, testStack } from '../support/stack';

/**
 * Solutions on real PostgreSQL with the real migrations: version numbers decided by the database
 * under concurrency, immutable versions, one approved version, and the approval activities
 * (assess, status, architect mail) idempotent.
 */
describe('solution designs (integration)', () => {
  let orm: MikroORM;
  let store: SolutionStore;
  let activities: SolutionApprovalActivities;
  let inbox: MailInboxClient;
  const act = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    const config = loadConfig(testEnv());
    store = new SolutionStore(orm.em);
    const outbox = new EmailOutbox(
      orm.em,
      new MailRenderer(),
      new MailSender({ smtpUrl: testStack().smtpUrl, defaultFrom: config.mailFrom, connectionTimeoutMs: 2000 }),
    );
    activities = new SolutionApprovalActivities(orm.em, store, new DesignAssessor(orm.em), outbox, config);
    inbox = new MailInboxClient(testStack().mailApiUrl);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  const graph = (vcpus = 2): DesignGraph => ({
    vms: [{ id: 'web-1', template: 'VM-LINUX', vcpus, ramGb: 4, diskGb: 40, networks: ['lan'] }],
    networks: [{ id: 'lan', cidr: '10.0.1.0/24' }],
    volumes: [],
    publicIps: [],
  });

  async function newSolution(): Promise<{ solution: Solution; architect: User }> {
    const em = orm.em.fork();
    const client = await em.findOneOrFail(Party, { code: 'client-umbrella' });
    const architect = await em.findOneOrFail(User, { email: 'architect@acme.demo' });
    return { solution: await store.create(client, `Integration ${randomUUID().slice(0, 8)}`, `user:${architect.id}`), architect };
  }

  it('numbers concurrent saves 1…n without gaps or twins', async () => {
    const { solution, architect } = await newSolution();
    const saved = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.saveVersion(solution.id, { graph: graph(i + 1), authorId: architect.id, authorEmail: architect.email })),
    );
    expect(saved.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await orm.em.fork().findOneOrFail(Solution, { id: solution.id })).latestVersion).toBe(8);
  });

  it('refuses to change a saved version’s graph, and a second solution of the same name for the client', async () => {
    const { solution, architect } = await newSolution();
    const version = await store.saveVersion(solution.id, { graph: graph(), authorId: architect.id, authorEmail: architect.email });
    await expect(orm.em.fork().nativeUpdate(DesignVersion, { id: version.id }, { graph: graph(9) })).rejects.toThrow(/design versions are immutable/);
    await orm.em.fork().nativeUpdate(DesignVersion, { id: version.id }, { note: 'notes and statuses may change' });
    const client = await orm.em.fork().findOneOrFail(Party, { code: 'client-umbrella' });
    await expect(store.create(client, solution.name.toUpperCase(), 'user:x')).rejects.toMatchObject({
      code: 'SOLUTION_DUPLICATE',
      fields: [{ field: 'name' }],
    });
  });

  it('assesses, approves and mails through the activities, idempotently; a later approval supersedes', async () => {
    const { solution, architect } = await newSolution();
    const v1 = await store.saveVersion(solution.id, { graph: graph(2), authorId: architect.id, authorEmail: architect.email });
    const v2 = await store.saveVersion(solution.id, { graph: graph(4), authorId: architect.id, authorEmail: architect.email });

    const assessment: DesignAssessment = await act.run(activities.assessDesignVersion.bind(activities), {
      solutionId: solution.id,
      versionId: v1.id,
      round: 1,
    });
    expect(assessment).toMatchObject({ problems: [], weight: { currency: 'EUR', vcpus: 2 }, policy: { clientAcceptance: { mode: 'any' } } });
    const stored = await orm.em.fork().findOneOrFail(DesignVersion, { id: v1.id });
    expect(stored.quote?.monthlyTotal).toBe(assessment.weight!.monthlyTotal);

    const set = (versionId: string, status: 'validating' | 'approved', round: number) =>
      act.run(activities.setSolutionStatus.bind(activities), { solutionId: solution.id, versionId, round, status });
    await set(v1.id, 'validating', 1);
    await set(v1.id, 'approved', 1);
    await set(v1.id, 'approved', 1); // a retry changes nothing
    await set(v2.id, 'validating', 2);
    await set(v2.id, 'approved', 2);
    const em = orm.em.fork();
    expect((await em.find(DesignVersion, { solution: solution.id }, { orderBy: { version: 'asc' } })).map((v) => [v.version, v.status, v.round])).toEqual([
      [1, 'superseded', 1],
      [2, 'approved', 2],
    ]);
    expect(await em.findOneOrFail(Solution, { id: solution.id })).toMatchObject({ status: 'approved', approvedVersion: 2, currentVersion: 2, round: 2 });

    const key = `solution-approval:${solution.id}:approved:2`;
    const mail = { template: 'solution-approved' as const, data: {}, solutionId: solution.id, versionId: v2.id, idempotencyKey: key };
    await act.run(activities.sendArchitectEmail.bind(activities), mail);
    await act.run(activities.sendArchitectEmail.bind(activities), mail);
    expect(await orm.em.fork().count(EmailMessage, { idempotencyKey: key })).toBe(1);
    const caught = await inbox.waitFor((m) => m.subject === `${solution.name} for Umbrella Corp is approved`, 10_000);
    expect(caught.to).toContain('architect@acme.demo');
    expect(caught.text).toContain('Approved version');
  });

  it('reports a version that no longer validates without quoting it', async () => {
    const { solution, architect } = await newSolution();
    const broken = graph(2);
    broken.vms[0].template = 'VM-GONE';
    const version = await store.saveVersion(solution.id, { graph: broken, authorId: architect.id, authorEmail: architect.email });
    const assessment: DesignAssessment = await act.run(activities.assessDesignVersion.bind(activities), {
      solutionId: solution.id,
      versionId: version.id,
      round: 1,
    });
    expect(assessment.problems).toEqual([{ field: 'vms[web-1].template', problem: '"VM-GONE" is not in the catalog: choose a VM template from the catalog' }]);
    expect(assessment.weight).toBeUndefined();
    expect((await orm.em.fork().findOneOrFail(DesignVersion, { id: version.id })).quote).toBeNull();
  });
});
