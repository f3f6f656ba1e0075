import { EntityManager } from '@mikro-orm/postgresql';
import { billingDocumentEmailKey } from '@wholesail/contracts';
import { findFreePort, findRepoRoot, MailInboxClient, startMailCatcher, type RunningMailCatcher } from '@wholesail/devstack';
import { messageIdFor } from '@wholesail/mail';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BillingWorld } from '../support/billing-world';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * The month-end run survives a worker killed with SIGKILL mid-rating and again mid-e-mail. The
 * workers are the real worker process (dist/apps/worker) started as children on a task queue of
 * their own; BILLING_FAULTS (honoured under NODE_ENV=test only) stalls the first one right after
 * its 2nd rating page has committed, and the second one right after its 2nd e-mail was handed to
 * SMTP, so each kill lands mid-step every time. The stalled activity times out on the server and
 * runs again on the next worker: the page is rated again over what the dead attempt wrote, the
 * e-mail is found sent in the outbox. Then the SMTP server (a catcher of this file's own) is down
 * for a while and the e-mails are retried until it is back. Against a dry run of the same data:
 * identical ledger totals, every e-mail exactly once, no gap in any number series.
 */
describe('the billing run survives killed workers (e2e)', () => {
  jest.setTimeout(600_000);
  // Not the billing-run e2e's month: both files share one Temporal server, and a run's workflow ID is `billing-run:<period>`.
  const period = '2026-09';
  const taskQueue = `billing-crash-${randomUUID().slice(0, 8)}`;
  const children: ChildProcess[] = [];
  let db: FreshDatabase;
  let h: Harness;
  let finance: string;
  let smtp: RunningMailCatcher;
  let ports: { smtpPort: number; httpPort: number };
  const catcher = () => startMailCatcher({ ...ports, log: () => undefined });

  beforeAll(async () => {
    db = await freshDatabase('billing_crash');
    ports = { smtpPort: await findFreePort(), httpPort: await findFreePort() };
    smtp = await catcher();
    h = await startHarness({
      worker: false,
      env: {
        DATABASE_URL: db.url,
        TEMPORAL_TASK_QUEUE: taskQueue,
        OPERATOR_TIMEZONE: 'UTC',
        BILLING_GO_LIVE_FROM: period,
        BILLING_PAGE_SIZE: '1',
        BILLING_EMAIL_CONCURRENCY: '1',
        BILLING_FINANCE_EMAIL: 'payables-crash@wholesail.test',
        BILLING_DRY_RUN_WAIT_SECONDS: '120',
        SMTP_URL: smtp.smtpUrl,
      },
    });
    finance = await h.login('finance@wholesail.demo');
    // A distributor with an operator-funded agent and one carved out of its cut, a reseller with a
    // sub-reseller, four clients with usage all month (one page each).
    const w = new BillingWorld(h.app.get(EntityManager).fork());
    const operator = await w.operator();
    const vcpu = await w.item('vcpu', '31.00', 'vCPU');
    const since = { activeSince: new Date('2026-01-01T00:00:00Z') };
    const d = await w.party('distributor', 'Crash Dist', operator);
    const a = await w.party('agent', 'Crash Agent', d);
    const b = await w.party('agent', 'Crash Carved', d);
    const r = await w.party('reseller', 'Crash Reseller', d);
    const s = await w.party('reseller', 'Crash Sub', r);
    await w.assign(r, d);
    await w.agreement(d, { rate: '0.05', feePerActiveClient: '2.00' });
    await w.agreement(a, { rate: '0.10' });
    await w.agreement(b, { rate: '0.02', fundedBy: 'distributor' });
    await w.priceBook(r, 'clients', '20');
    await w.priceBook(r, 'subResellers', '10');
    await w.priceBook(s, 'clients', '25');
    const start = new Date(Date.UTC(2026, 8, 1));
    const clients = [
      await w.party('client', 'Crash C1', r, { ...since, foundBy: a }),
      await w.party('client', 'Crash C2', r, { ...since, foundBy: b }),
      await w.party('client', 'Crash C3', s, since),
      await w.party('client', 'Crash C4', s, { ...since, foundBy: a }),
    ];
    for (const [i, client] of clients.entries()) await w.event(client, `vm-${i}`, vcpu, 'start', start, String(i + 2));
  }, 240_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
    await db?.drop();
    await smtp?.stop();
  });

  /** The real worker process on this file's task queue, once it polls; `output` is what it printed. */
  async function startWorker(env: Record<string, string> = {}): Promise<{ child: ChildProcess; printed: (text: string) => Promise<void> }> {
    const child = fork(join(findRepoRoot(), 'dist/apps/worker/src/main.js'), [], {
      env: { ...process.env, ...h.env, TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'test', LOG_LEVEL: 'log', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`the worker exited (${code ?? signal}):\n${output}`))),
    );
    exited.catch(() => undefined);
    const printed = (text: string) =>
      Promise.race([exited, waitFor(async () => (output.includes(text) ? true : undefined), 300_000, 200)]).then(() => undefined);
    await printed(`polling task queue "${taskQueue}"`);
    return { child, printed };
  }

  async function kill(child: ChildProcess): Promise<void> {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(undefined)));
    expect(child.signalCode).toBe('SIGKILL');
  }

  const run = async () => (await h.http.get(`/billing/runs/${period}`).set({ Authorization: `Bearer ${finance}` })).body;
  const untilRun = (predicate: (body: any) => boolean) =>
    waitFor(
      async () => {
        const body = await run();
        if (body.status === 'failed') throw new Error(`the run failed: ${JSON.stringify(body.failure)}`);
        return predicate(body) ? body : undefined;
      },
      300_000,
      500,
    );

  /** The Message-IDs of the billing documents the catcher caught (finance also gets the approval task's mail). */
  const caughtIds = async () => {
    const inbox = new MailInboxClient(smtp.apiUrl);
    const ids = await Promise.all((await inbox.list()).map(async (m) => (await inbox.get(m.id)).headers['message-id']));
    return ids.filter((id) => id.startsWith(`<${encodeURIComponent(billingDocumentEmailKey(''))}`));
  };
  const finalKeys = `select 'billing-document:' || id from billing_document where period = '${period}' and status = 'final' and deliver_to is not null`;
  const sentSoFar = async () => {
    const [{ count }]: Array<{ count: string }> = await h.app
      .get(EntityManager)
      .fork()
      .execute(`select count(*) as count from email_message where status = 'sent' and idempotency_key in (${finalKeys})`);
    return Number(count);
  };

  it('keeps its totals, sends every e-mail once and leaves no gap after SIGKILL mid-rating and mid-e-mail and an SMTP outage', async () => {
    const auth = { Authorization: `Bearer ${finance}` };
    // The reference: a dry run of the same data on a worker nobody kills.
    const calm = await startWorker();
    const dry = (await h.http.post('/billing/runs').set(auth).send({ period, dryRun: true }).expect(200)).body;
    expect(dry).toMatchObject({ status: 'completed', invariants: { ok: true } });
    await kill(calm.child);

    // Killed right after its 2nd page of clients was rated and committed.
    const rating = await startWorker({ BILLING_FAULTS: 'rate:2' });
    await h.http.post('/billing/runs').set(auth).send({ period }).expect(202);
    await rating.printed('billing fault: rate 2 stalls after');
    await kill(rating.child);

    // The next worker rates that page again, drafts, and is killed right after its 2nd e-mail went out.
    const mailing = await startWorker({ BILLING_FAULTS: 'email:2' });
    const drafted = await untilRun((b) => b.status === 'awaiting-approval');
    expect(drafted.totals).toEqual(dry.totals);
    expect(drafted.invariants).toMatchObject({ ok: true, violationCount: 0 });
    const task = await waitFor(async () => {
      const items = (await h.http.get('/approvals/tasks').set(auth).expect(200)).body.items as Array<{ id: string }>;
      return items.find((t) => t.id.startsWith(`billing-run:${period}:`));
    });
    await h.http.post(`/approvals/tasks/${task.id}/decisions`).set(auth).send({ decision: 'approve' }).expect(200);
    await mailing.printed('billing fault: email 2 stalls after');
    expect((await run()).status).toBe('emailing');
    // Two sent (the second never acknowledged), the rest waiting.
    expect(await sentSoFar()).toBe(2);
    await kill(mailing.child);

    // SMTP goes down. The next worker finds the stalled e-mail sent; the next one fails, is recorded and retried.
    const beforeOutage = await caughtIds();
    await smtp.stop();
    await startWorker();
    await waitFor(
      async () => {
        const [{ count }]: Array<{ count: string }> = await h.app
          .get(EntityManager)
          .fork()
          .execute(`select count(*) as count from email_message where status = 'pending' and last_error is not null and idempotency_key in (${finalKeys})`);
        return Number(count) > 0 ? true : undefined;
      },
      300_000,
      500,
    );
    expect(await sentSoFar()).toBe(2);
    // SMTP is back: the rest go out, once.
    smtp = await catcher();
    const done = await untilRun((b) => b.status === 'completed');
    expect(done.totals).toEqual(dry.totals);
    expect(done.invariants).toMatchObject({ ok: true, violationCount: 0 });
    expect(done.progress.emailsSent).toBe(done.progress.emailsTotal);

    const em = h.app.get(EntityManager).fork();
    const documents: Array<{ id: string; deliver_to: string | null }> = await em.execute(
      `select id, deliver_to from billing_document where period = ? and status = 'final'`,
      [period],
    );
    expect(documents).toHaveLength(done.progress.documentsFinal);
    // Every series of every issuer runs 1, 2, … n: no gap, no repeat.
    const series: Array<{ issuer_id: string; series: string; sequences: number[] }> = await em.execute(
      `select issuer_id, series, array_agg(sequence order by sequence) as sequences from billing_document where status = 'final' group by issuer_id, series`,
    );
    for (const { sequences } of series) expect(sequences.map(Number)).toEqual(sequences.map((_, i) => i + 1));

    // Every e-mailed document reached the SMTP server exactly once, under its own Message-ID.
    const mailed = documents.filter((d) => d.deliver_to !== null);
    expect(mailed).toHaveLength(done.progress.emailsTotal);
    const outbox: Array<{ status: string; count: string }> = await em.execute(
      `select status, count(*) as count from email_message where idempotency_key in (${finalKeys}) group by status`,
    );
    expect(outbox.map((o) => [o.status, Number(o.count)])).toEqual([['sent', mailed.length]]);
    const expected = mailed.map((d) => messageIdFor(billingDocumentEmailKey(d.id)));
    const afterOutage = await waitFor(async () => {
      const caught = await caughtIds();
      return beforeOutage.length + caught.length >= expected.length ? caught : undefined;
    });
    expect(beforeOutage).toHaveLength(2);
    expect([...beforeOutage, ...afterOutage].sort()).toEqual(expected.sort());
  });
});
