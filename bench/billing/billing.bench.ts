/**
 * Month-end billing benchmark, e-mail phase: the 550 payout invoices of the channel (50
 * distributors with 40 resellers each, 500 agents with 120 clients each) e-mailed by the real
 * activity (`sendBillingDocuments`: render HTML, text, PDF and CSV, the outbox on PostgreSQL, pooled
 * SMTP) to MailDev, beside a floor measured in the same run: raw pooled nodemailer sends of the
 * same rendered messages to the same server, with the product's pool size and text encoding.
 * Prints each figure, the ratio (target: the phase at least half the raw send rate), the CPU
 * seconds this process spent on each section (MailDev and PostgreSQL are other processes) and the
 * peak RSS (target < 1 GiB); asserts nothing but that every invoice arrived exactly once and that a
 * re-run sends nothing. Run: `npm run build && npm run bench:billing`.
 *
 * Last measured (2 cores shared, load average 3.9–4.1): phase 12.3 s / 12.4 s against a floor of
 * 7.4 s / 8.2 s = 0.60 × / 0.67 × the raw send rate; peak RSS 583 / 508 MiB.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import { BILLING_MAIL_CONNECTIONS, BILLING_MAIL_TEXT_ENCODING, BillingDocumentRenderer, type RenderedBillingDocument } from '@wholesail/billing-documents';
import { billingDocumentEmailKey } from '@wholesail/contracts';
import { MailInboxClient, startMailCatcher, startPostgres } from '@wholesail/devstack';
import { MailRenderer, MailSender, messageIdFor } from '@wholesail/mail';
import { EmailMessage, ormConfig } from '@wholesail/persistence';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { BillingDocumentActivities } from '../../activities/billing/billing-documents.activities';
import { EmailOutbox } from '../../activities/mail/email-outbox.service';
import { GeneratedDocuments, payoutDocuments } from './payout-documents';

const MiB = 1024 * 1024;
const FROM = 'Wholesail Cloud <billing@operator.bench>';
/** Documents per activity call, and documents in flight within one (as the run's e-mail phase pages). */
const PAGE = 200;
const CONCURRENCY = 10;

/** Runs `work` sampling RSS every 20 ms: seconds, CPU seconds of this process (all its threads) and the peak RSS. */
async function measure(work: () => Promise<unknown>): Promise<{ seconds: number; cpuSeconds: number; rssPeak: number }> {
  let rssPeak = process.memoryUsage.rss();
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  clearInterval(timer);
  return { seconds, cpuSeconds: (user + system) / 1e6, rssPeak: Math.max(rssPeak, process.memoryUsage.rss()) };
}

async function waitForCount(inbox: MailInboxClient, count: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const caught = (await inbox.list()).length;
    if (caught >= count || Date.now() > deadline) return caught;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const pg = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'wholesail-bench-billing-')), persistent: false, log: () => undefined });
  const smtp = await startMailCatcher({ log: () => undefined });
  const orm = await MikroORM.init(ormConfig(pg.databaseUrl, { logger: () => undefined }));
  const inbox = new MailInboxClient(smtp.apiUrl);
  const pooled = new MailSender({
    smtpUrl: smtp.smtpUrl,
    defaultFrom: FROM,
    pool: true,
    maxConnections: BILLING_MAIL_CONNECTIONS,
    textEncoding: BILLING_MAIL_TEXT_ENCODING,
  });
  const smtpPort = Number(new URL(smtp.smtpUrl).port);
  const raw = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, pool: true, maxConnections: BILLING_MAIL_CONNECTIONS });
  try {
    await orm.getMigrator().up();
    const documents = payoutDocuments();
    const lines = documents.reduce((sum, document) => sum + document.lines.length, 0);
    const mailRenderer = new MailRenderer({ defaultTimeZone: 'UTC', publicUrl: 'http://localhost:3000' });
    const renderer = new BillingDocumentRenderer(mailRenderer, { timeZone: 'UTC', publicUrl: 'http://localhost:3000' });
    const activities = new BillingDocumentActivities(new GeneratedDocuments(documents), renderer, new EmailOutbox(orm.em, mailRenderer, pooled), pooled);
    console.log(
      `billing e-mail phase, Node ${process.version}: ${documents.length} payout invoices (${lines.toLocaleString('en')} lines), ${BILLING_MAIL_CONNECTIONS} pooled SMTP connections to MailDev`,
    );

    // Rendering alone, to show where the time goes (the floor below sends these very messages).
    const rendered: RenderedBillingDocument[] = [];
    const rendering = await measure(async () => {
      for (const document of documents) rendered.push(await renderer.renderDocument(document));
    });
    const bytes = rendered.reduce((sum, mail) => sum + mail.html.length + mail.text.length + mail.attachments.reduce((s, a) => s + a.content.length, 0), 0);

    // Floor: raw pooled nodemailer sends of the same rendered messages to the same server.
    const floor = await measure(() =>
      Promise.all(
        rendered.map((mail, i) =>
          raw.sendMail({
            from: FROM,
            to: mail.to,
            subject: mail.subject,
            html: mail.html,
            text: mail.text,
            messageId: messageIdFor(`floor:${i}`),
            textEncoding: BILLING_MAIL_TEXT_ENCODING,
            attachments: mail.attachments.map(({ filename, content, contentType }) => ({ filename, content, contentType })),
          }),
        ),
      ),
    );
    const floorCaught = await waitForCount(inbox, documents.length);
    await inbox.clear();
    rendered.length = 0;
    global.gc?.();

    // The e-mail phase: the activity, a page of documents per call, as the run's e-mail phase pages.
    const ids = documents.map((document) => document.id);
    const phase = await measure(async () => {
      for (let start = 0; start < ids.length; start += PAGE) {
        await activities.sendBillingDocuments({ documentIds: ids.slice(start, start + PAGE), runId: 'bench-run', concurrency: CONCURRENCY });
      }
    });
    const caught = await waitForCount(inbox, documents.length);
    // A re-run of the phase (a restarted run): every document is found sent, nothing goes out.
    const rerun = await measure(async () => {
      for (let start = 0; start < ids.length; start += PAGE) {
        const { results } = await activities.sendBillingDocuments({
          documentIds: ids.slice(start, start + PAGE),
          runId: 'bench-run',
          concurrency: CONCURRENCY,
        });
        if (results.some((result) => result.status !== 'already-sent')) throw new Error('a re-run sent a document again');
      }
    });
    const messages = await inbox.list();
    const sent = await orm.em.fork().count(EmailMessage, { idempotencyKey: { $in: ids.map(billingDocumentEmailKey) }, status: 'sent' });
    const distinctRecipients = new Set(messages.map((message) => message.subject)).size;

    const rate = (seconds: number) => (documents.length / seconds).toFixed(1);
    const cpu = (figures: { cpuSeconds: number }) => `; ${figures.cpuSeconds.toFixed(1)} CPU s in this process`;
    console.log(
      `render only (HTML, text, PDF, CSV): ${rendering.seconds.toFixed(1)} s → ${rate(rendering.seconds)} documents/s, ${(bytes / MiB).toFixed(1)} MiB${cpu(rendering)}`,
    );
    console.log(
      `floor, raw pooled nodemailer of the same messages: ${floor.seconds.toFixed(1)} s → ${rate(floor.seconds)} mails/s (${floorCaught} caught)${cpu(floor)}`,
    );
    console.log(
      `e-mail phase (load, render, outbox, send): ${phase.seconds.toFixed(1)} s → ${rate(phase.seconds)} mails/s = ${(floor.seconds / phase.seconds).toFixed(2)} × the raw send rate (target ≥ 0.5)${cpu(phase)}`,
    );
    console.log(`re-run of the phase (all already sent): ${rerun.seconds.toFixed(1)} s, nothing sent again${cpu(rerun)}`);
    console.log(
      `delivered: ${caught} mails caught, ${distinctRecipients} distinct invoices, ${sent} outbox rows sent (expected ${documents.length} each); peak RSS ${(phase.rssPeak / MiB).toFixed(0)} MiB (target < 1024)`,
    );
    if (caught !== documents.length || distinctRecipients !== documents.length || sent !== documents.length) {
      throw new Error('not every payout invoice arrived exactly once');
    }
  } finally {
    raw.close();
    pooled.close();
    await orm.close(true);
    await smtp.stop();
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
