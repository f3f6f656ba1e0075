import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { findFreePort, MailInboxClient } from '@wholesail/devstack';
import { MailRenderer, MailSender } from '@wholesail/mail';
import { EmailMessage, ormConfig } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { EmailOutbox } from '../../activities/mail/email-outbox.service';
import { testStack } from '../support/stack';

/** The outbox on real PostgreSQL and the test SMTP server: one mail per key, failures tracked. */
describe('EmailOutbox (integration)', () => {
  let orm: MikroORM;
  let renderer: MailRenderer;
  let inbox: MailInboxClient;
  const from = 'Wholesail <no-reply@wholesail.test>';
  const welcome = (to: string) => ({
    recipientName: 'Dana',
    partnerName: 'Acme',
    invitationUrl: `http://localhost/invitations/${to}`,
    invitationExpiresAt: '2026-12-01T00:00:00Z',
  });

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    renderer = new MailRenderer();
    inbox = new MailInboxClient(testStack().mailApiUrl);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  const outbox = (smtpUrl = testStack().smtpUrl) =>
    new EmailOutbox(orm.em, renderer, new MailSender({ smtpUrl, defaultFrom: from, connectionTimeoutMs: 2000 }));
  const row = (key: string) => orm.em.fork().findOneOrFail(EmailMessage, { idempotencyKey: key });

  it('sends a mail once per idempotency key, however often it is asked', async () => {
    const to = `once-${randomUUID().slice(0, 8)}@outbox.test`;
    const key = `test:${to}:welcome`;
    const mail = { idempotencyKey: key, template: 'welcome', to, data: welcome(to), subjectRef: 'test' };
    expect(await outbox().send(mail)).toMatchObject({ status: 'sent' });
    expect(await outbox().send(mail)).toMatchObject({ status: 'already-sent' });
    await inbox.waitFor((m) => m.to.includes(to));
    expect((await inbox.list()).filter((m) => m.to.includes(to))).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'sent', attempts: 1, template: 'welcome', toAddress: to, lastError: null });
  });

  it('records a transient failure and sends on the retry', async () => {
    const to = `retry-${randomUUID().slice(0, 8)}@outbox.test`;
    const key = `test:${to}:welcome`;
    const mail = { idempotencyKey: key, template: 'welcome', to, data: welcome(to) };
    const closed = `smtp://127.0.0.1:${await findFreePort()}`;
    await expect(outbox(closed).send(mail)).rejects.toThrow();
    const failed = await row(key);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.lastError).toEqual(expect.any(String));
    expect(await outbox().send(mail)).toMatchObject({ status: 'sent' });
    expect(await row(key)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('marks a permanently refused mail failed and fails without retrying', async () => {
    const key = `test:${randomUUID()}:welcome`;
    const failure = await outbox()
      .send({ idempotencyKey: key, template: 'welcome', to: 'not an address', data: welcome('x') })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true });
    expect(await row(key)).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
