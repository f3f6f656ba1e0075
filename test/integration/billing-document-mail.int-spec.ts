import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { BillingDocumentRenderer } from '@wholesail/billing-documents';
import { pdfText } from '../../libs/billing-documents/src/testing/pdf-text';
import { agentPayout, distributorPayout } from '../../libs/billing-documents/src/testing/sample-documents';
import type { BillingDocument } from '@wholesail/contracts';
import { billingDocumentEmailKey } from '@wholesail/contracts';
import { findFreePort, MailInboxClient, startMailCatcher } from '@wholesail/devstack';
import { MailRenderer, MailSender, messageIdFor } from '@wholesail/mail';
import { EmailMessage, ormConfig } from '@wholesail/persistence';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { EmailOutbox, MAIL_SEND_IN_PROGRESS, type PreparedOutboxMail } from '../../activities/mail/email-outbox.service';
import { testStack } from '../support/stack';

/**
 * Billing documents through the outbox to a real SMTP catcher: the caught mail carries the PDF and
 * the CSV; a document is sent once per key across repeats, SMTP outages and concurrent attempts.
 */
describe('billing document e-mail through the outbox (integration)', () => {
  const from = 'Wholesail <no-reply@wholesail.test>';
  let orm: MikroORM;
  let mailRenderer: MailRenderer;
  let renderer: BillingDocumentRenderer;
  let inbox: MailInboxClient;

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    mailRenderer = new MailRenderer();
    renderer = new BillingDocumentRenderer(mailRenderer, { timeZone: 'UTC' });
    inbox = new MailInboxClient(testStack().mailApiUrl);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  const pooled = (smtpUrl: string) => new MailSender({ smtpUrl, defaultFrom: from, pool: true, maxConnections: 2, connectionTimeoutMs: 2000 });
  const outbox = () => new EmailOutbox(orm.em, mailRenderer, new MailSender({ smtpUrl: testStack().smtpUrl, defaultFrom: from }));
  const row = (key: string) => orm.em.fork().findOneOrFail(EmailMessage, { idempotencyKey: key });

  /** A document of its own (unique number and address), as the run would hand it over. */
  function ownDocument(make: (number: string) => BillingDocument): BillingDocument {
    const tag = randomUUID().slice(0, 8);
    const document = make(`NORTHWIND-PAY-${tag}`);
    return { ...document, id: randomUUID(), deliverTo: `finance-${tag}@wholesail.test` };
  }

  function prepared(document: BillingDocument, overrides: Partial<PreparedOutboxMail> = {}): PreparedOutboxMail {
    const envelope = renderer.envelope(document);
    return {
      idempotencyKey: billingDocumentEmailKey(document.id),
      template: envelope.template,
      to: envelope.to,
      subject: envelope.subject,
      fromName: envelope.fromName,
      subjectRef: `billing-run:${document.runId}`,
      build: () => renderer.renderDocument(document),
      ...overrides,
    };
  }

  it('delivers the e-mail with the PDF and the CSV attached, named after the number, with the Message-ID of the document', async () => {
    const document = ownDocument((number) => distributorPayout(5, number));
    const sender = pooled(testStack().smtpUrl);
    try {
      expect(await outbox().sendPrepared(prepared(document), sender)).toEqual({
        status: 'sent',
        messageId: messageIdFor(billingDocumentEmailKey(document.id)),
      });
      expect(await outbox().sendPrepared(prepared(document), sender)).toMatchObject({ status: 'already-sent' });
    } finally {
      sender.close();
    }
    const mail = await inbox.waitFor((m) => m.to.includes(document.deliverTo!));
    expect((await inbox.list()).filter((m) => m.to.includes(document.deliverTo!))).toHaveLength(1);
    expect(mail.subject).toBe(`Payout invoice ${document.number} from Northwind Distribution for October 2026: ${document.totals.total} EUR`);
    expect(mail.headers['message-id']).toBe(messageIdFor(billingDocumentEmailKey(document.id)));
    expect(mail.text).toContain(`Total payable: ${document.totals.total} EUR`);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`${document.number}.pdf`, 'application/pdf'],
      [`${document.number}.csv`, 'text/csv'],
    ]);

    const pdf = await inbox.attachment(mail.id, `${document.number}.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(pdf)).toContain(`${document.totals.total} EUR`);
    expect(pdfText(pdf)).toContain(`Payout invoice ${document.number}`);
    const csv = parse((await inbox.attachment(mail.id, `${document.number}.csv`)).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(csv.map((line) => line.amount)).toEqual(document.lines.map((line) => line.amount));

    expect(await row(billingDocumentEmailKey(document.id))).toMatchObject({
      status: 'sent',
      attempts: 1,
      template: 'payout-invoice',
      toAddress: document.deliverTo,
      subject: mail.subject,
      subjectRef: 'billing-run:run-2026-10',
      sendingUntil: null,
    });
  });

  it('retries while the SMTP server is down and delivers exactly once when it is back', async () => {
    const smtpPort = await findFreePort();
    const httpPort = await findFreePort();
    const catcher = () => startMailCatcher({ smtpPort, httpPort, log: () => undefined });
    const document = ownDocument((number) => agentPayout(30, number));
    const key = billingDocumentEmailKey(document.id);
    const sender = pooled(`smtp://127.0.0.1:${smtpPort}`);
    let smtp = await catcher();
    try {
      await smtp.stop();
      // Down: every attempt fails transiently (retryable), records its error and releases the mail.
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const failure = await outbox()
          .sendPrepared(prepared(document), sender)
          .catch((error: unknown) => error);
        expect(failure).toMatchObject({ code: 'MAIL_CONNECTION', permanent: false });
        expect(await row(key)).toMatchObject({
          status: 'pending',
          attempts: attempt,
          sendingUntil: null,
          lastError: expect.stringContaining('SMTP connection failed'),
        });
      }
      smtp = await catcher();
      expect(await outbox().sendPrepared(prepared(document), sender)).toMatchObject({ status: 'sent' });
      expect(await outbox().sendPrepared(prepared(document), sender)).toMatchObject({ status: 'already-sent' });
      const privateInbox = new MailInboxClient(smtp.apiUrl);
      await privateInbox.waitFor((m) => m.to.includes(document.deliverTo!));
      const caught = await privateInbox.list();
      expect(caught.map((m) => m.subject)).toEqual([expect.stringContaining(document.number!)]);
      expect(await row(key)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    } finally {
      sender.close();
      await smtp.stop();
    }
  });

  it('lets one of two concurrent attempts send; the other is told to retry, then finds it sent', async () => {
    const document = ownDocument((number) => distributorPayout(2, number));
    let releaseBuild!: () => void;
    let buildStarted!: () => void;
    const gate = new Promise<void>((resolve) => (releaseBuild = resolve));
    const started = new Promise<void>((resolve) => (buildStarted = resolve));
    const first = outbox().sendPrepared(
      prepared(document, {
        build: async () => {
          buildStarted();
          await gate;
          return renderer.renderDocument(document);
        },
      }),
    );
    await started;
    const second = await outbox()
      .sendPrepared(prepared(document))
      .catch((error: unknown) => error);
    expect(second).toBeInstanceOf(ApplicationFailure);
    expect(second).toMatchObject({ type: MAIL_SEND_IN_PROGRESS, nonRetryable: false });
    releaseBuild();
    expect(await first).toMatchObject({ status: 'sent' });
    expect(await outbox().sendPrepared(prepared(document))).toMatchObject({ status: 'already-sent' });
    await inbox.waitFor((m) => m.to.includes(document.deliverTo!));
    expect((await inbox.list()).filter((m) => m.to.includes(document.deliverTo!))).toHaveLength(1);
    expect(await row(billingDocumentEmailKey(document.id))).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('records a refused address or a document that does not add up as failed, without retrying', async () => {
    const refused = { ...ownDocument((number) => agentPayout(2, number)), deliverTo: 'not an address' };
    const failure = await outbox()
      .sendPrepared(prepared(refused))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'MAIL_INVALID_ADDRESS', nonRetryable: true });
    expect(await row(billingDocumentEmailKey(refused.id))).toMatchObject({ status: 'failed', attempts: 1, sendingUntil: null });

    const wrong = ownDocument((number) => agentPayout(2, number));
    wrong.totals.total = '1000000.00';
    const mismatch = await outbox()
      .sendPrepared(prepared(wrong))
      .catch((error: unknown) => error);
    expect(mismatch).toMatchObject({ code: 'BILLING_DOCUMENT_TOTALS_MISMATCH' });
    expect(await row(billingDocumentEmailKey(wrong.id))).toMatchObject({ status: 'failed', lastError: expect.stringContaining('do not add up') });
    expect((await inbox.list()).filter((m) => m.to.includes(wrong.deliverTo!))).toHaveLength(0);
  });
});
