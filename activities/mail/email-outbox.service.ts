import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { isDomainError } from '@wholesail/domain';
import { type MailAttachment, MailRenderer, MailSendError, MailSender, messageIdFor, type MailBranding } from '@wholesail/mail';
import { EmailMessage } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';

export interface OutboxMail {
  /** One e-mail per key, ever: a retried activity finds the first send and does nothing. */
  idempotencyKey: string;
  template: string;
  to: string;
  data: Record<string, unknown>;
  branding?: MailBranding | null;
  /** What the mail is about, e.g. "application:<id>". */
  subjectRef?: string;
  /** Files to attach, built only when the mail is really sent (not when it was sent before). */
  attachments?: () => Promise<MailAttachment[]>;
}

/** The message itself, built when (and only when) the outbox sends it. */
export interface BuiltMail {
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

/**
 * A mail whose content the caller builds, for mail that is costly to build (a billing document
 * with its PDF): `build` runs only when the outbox holds the mail and it has not been sent yet.
 */
export interface PreparedOutboxMail {
  idempotencyKey: string;
  /** What kind of mail, for the record (a template name). */
  template: string;
  to: string;
  /** For the record before the mail is built; the built subject replaces it. */
  subject: string;
  /** The sender's display name (its branding). */
  fromName?: string | null;
  subjectRef?: string;
  build: () => Promise<BuiltMail>;
}

export interface OutboxResult {
  status: 'sent' | 'already-sent';
  messageId: string;
}

/** How long a sender holds a mail: longer than a send can take (connect, greeting, socket timeouts). */
export const OUTBOX_CLAIM_SECONDS = 120;

/** Another sender holds the mail right now: retry later, by when it is sent or its claim ran out. */
export const MAIL_SEND_IN_PROGRESS = 'MAIL_SEND_IN_PROGRESS';

/**
 * The outbox every activity sends mail through. Each mail is a row keyed by its idempotency key
 * with its status (pending / sent / failed) and attempts, so a mail is never sent twice and every
 * send can be traced. A sender first claims the row (one UPDATE: not sent, not held by another
 * sender), so two concurrent attempts — a retried activity and its timed-out predecessor, two runs
 * of one e-mail phase — never both send. Transient SMTP failures are rethrown for Temporal to retry
 * with backoff; permanent ones (a refused address) mark the row failed and fail without retrying.
 *
 * Once the SMTP server has accepted a mail, a crash before the row says `sent` means the retry
 * sends it again: SMTP has no way to ask whether a message arrived. The Message-ID is the same on
 * both (derived from the key), so the receiving side can tell them apart.
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
    const rendered = this.renderer.render(mail.template, mail.data, mail.branding);
    return this.sendPrepared(
      {
        idempotencyKey: mail.idempotencyKey,
        template: mail.template,
        to: mail.to,
        subject: rendered.subject,
        fromName: mail.branding?.displayName,
        subjectRef: mail.subjectRef,
        build: async () => ({ ...rendered, attachments: mail.attachments ? await mail.attachments() : undefined }),
      },
      this.sender,
    );
  }

  /**
   * Sends a mail the caller builds, through `sender` (e.g. a pooled one for a batch of
   * documents; this outbox's own by default).
   */
  async sendPrepared(mail: PreparedOutboxMail, sender: MailSender = this.sender): Promise<OutboxResult> {
    const em = this.em.fork();
    const messageId = messageIdFor(mail.idempotencyKey);
    const claimed = await this.claim(em, mail, messageId);
    if (!claimed) {
      const row = await em.findOneOrFail(EmailMessage, { idempotencyKey: mail.idempotencyKey }, { fields: ['status', 'messageId'] });
      if (row.status === 'sent') return { status: 'already-sent', messageId: row.messageId ?? messageId };
      throw ApplicationFailure.retryable(`mail ${mail.idempotencyKey} is being sent by another attempt; retrying later`, MAIL_SEND_IN_PROGRESS);
    }

    let built: BuiltMail;
    try {
      built = await mail.build();
      await sender.send({
        to: mail.to,
        from: sender.fromFor(mail.fromName),
        subject: built.subject,
        html: built.html,
        text: built.text,
        messageId,
        attachments: built.attachments,
      });
    } catch (error) {
      // A mail that cannot be built (its data is wrong) will not build on a retry either.
      const permanent = (error instanceof MailSendError && error.permanent) || isDomainError(error);
      const lastError = error instanceof Error ? error.message.slice(0, 2000) : String(error);
      await this.release(em, mail.idempotencyKey, { lastError, ...(permanent ? { status: 'failed' as const } : {}) });
      this.logger.warn(`mail ${mail.idempotencyKey} to ${mail.to} failed (attempt ${claimed.attempts}${permanent ? ', permanent' : ''}): ${lastError}`);
      if (error instanceof MailSendError && permanent) throw ApplicationFailure.create({ type: error.code, message: lastError, nonRetryable: true });
      throw error;
    }
    await this.markSent(em, mail.idempotencyKey, built.subject);
    return { status: 'sent', messageId };
  }

  /**
   * Records the mail (first time) and takes it for this attempt unless it was sent or another
   * attempt holds it, counting the attempt: one statement (an insert that, on the key's conflict,
   * updates only a claimable row), so a mail costs two round trips to the database, this and the
   * release. Undefined when the mail is sent or held.
   */
  private async claim(em: EntityManager, mail: PreparedOutboxMail, messageId: string): Promise<{ attempts: number } | undefined> {
    const rows: Array<{ attempts: number }> = await em.getConnection().execute(
      `insert into "email_message" ("id", "created_at", "updated_at", "idempotency_key", "template", "to_address", "subject", "subject_ref", "message_id", "attempts", "sending_until")
        values (?, now(), now(), ?, ?, ?, ?, ?, ?, 1, now() + make_interval(secs => ?))
        on conflict ("idempotency_key") do update set "attempts" = "email_message"."attempts" + 1, "sending_until" = excluded."sending_until", "updated_at" = now()
          where "email_message"."status" <> 'sent' and ("email_message"."sending_until" is null or "email_message"."sending_until" < now())
        returning "attempts"`,
      [randomUUID(), mail.idempotencyKey, mail.template, mail.to, mail.subject.slice(0, 500), mail.subjectRef ?? null, messageId, OUTBOX_CLAIM_SECONDS],
    );
    return rows[0];
  }

  /** Records the send and lets go of the mail (plain SQL: this runs once for every mail sent). */
  private async markSent(em: EntityManager, idempotencyKey: string, subject: string): Promise<void> {
    await em
      .getConnection()
      .execute(
        `update "email_message" set "status" = 'sent', "sent_at" = now(), "last_error" = null, "subject" = ?, "sending_until" = null, "updated_at" = now() where "idempotency_key" = ?`,
        [subject.slice(0, 500), idempotencyKey],
        'run',
      );
  }

  private async release(
    em: EntityManager,
    idempotencyKey: string,
    changes: Partial<Pick<EmailMessage, 'status' | 'sentAt' | 'lastError' | 'subject'>>,
  ): Promise<void> {
    await em.nativeUpdate(EmailMessage, { idempotencyKey }, { ...changes, sendingUntil: null, updatedAt: new Date() });
  }
}
