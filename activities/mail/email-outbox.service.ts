import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { MailRenderer, MailSendError, MailSender, messageIdFor, type MailBranding } from '@wholesail/mail';
import { EmailMessage } from '@wholesail/persistence';

export interface OutboxMail {
  /** One e-mail per key, ever: a retried activity finds the first send and does nothing. */
  idempotencyKey: string;
  template: string;
  to: string;
  data: Record<string, unknown>;
  branding?: MailBranding | null;
  /** What the mail is about, e.g. "application:<id>". */
  subjectRef?: string;
}

export interface OutboxResult {
  status: 'sent' | 'already-sent';
  messageId: string;
}

/**
 * The outbox every activity sends mail through. Each mail is a row keyed by its idempotency key
 * with its status (pending / sent / failed) and attempts, so a mail is never sent twice and every
 * send can be traced. Transient SMTP failures are rethrown for Temporal to retry with backoff;
 * permanent ones (a refused address) mark the row failed and fail without retrying.
 */
@Injectable()
export class EmailOutbox {
  private readonly logger = new Logger('EmailOutbox');

  constructor(
    private readonly em: EntityManager,
    private readonly renderer: MailRenderer,
    private readonly sender: MailSender,
  ) {}

  async send(mail: OutboxMail): Promise<OutboxResult> {
    const em = this.em.fork();
    const rendered = this.renderer.render(mail.template, mail.data, mail.branding);
    const messageId = messageIdFor(mail.idempotencyKey);
    await em
      .createQueryBuilder(EmailMessage)
      .insert(
        em.create(
          EmailMessage,
          {
            idempotencyKey: mail.idempotencyKey,
            template: mail.template,
            toAddress: mail.to,
            subject: rendered.subject.slice(0, 500),
            subjectRef: mail.subjectRef ?? null,
            messageId,
          },
          { persist: false },
        ),
      )
      .onConflict('idempotency_key')
      .ignore()
      .execute();
    const row = await em.findOneOrFail(EmailMessage, { idempotencyKey: mail.idempotencyKey });
    if (row.status === 'sent') return { status: 'already-sent', messageId: row.messageId ?? messageId };

    row.attempts += 1;
    await em.flush();
    try {
      await this.sender.send({
        to: mail.to,
        from: this.sender.fromFor(mail.branding?.displayName),
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        messageId,
      });
    } catch (error) {
      const permanent = error instanceof MailSendError && error.permanent;
      row.lastError = error instanceof Error ? error.message.slice(0, 2000) : String(error);
      if (permanent) row.status = 'failed';
      await em.flush();
      this.logger.warn(`mail ${mail.idempotencyKey} to ${mail.to} failed (attempt ${row.attempts}${permanent ? ', permanent' : ''}): ${row.lastError}`);
      if (permanent) throw ApplicationFailure.create({ type: (error as MailSendError).code, message: row.lastError, nonRetryable: true });
      throw error;
    }
    row.status = 'sent';
    row.sentAt = new Date();
    row.lastError = null;
    await em.flush();
    return { status: 'sent', messageId };
  }
}
