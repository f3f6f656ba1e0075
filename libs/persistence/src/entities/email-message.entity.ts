import { Entity, Enum, Index, Opt, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';

export const EMAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * The outbox: every e-mail the system sends, with its status and attempts. `idempotencyKey`
 * (e.g. "onboarding:<id>:welcome") is unique, so the same message is never sent twice even when
 * the activity that sends it is retried.
 */
@Entity({ tableName: 'email_message' })
@Index({ properties: ['status'] })
export class EmailMessage extends BaseEntity {
  @Property({ type: 'string', length: 300 })
  @Unique()
  idempotencyKey!: string;

  @Property({ type: 'string', length: 80 })
  template!: string;

  @Property({ type: 'string', length: 320 })
  toAddress!: string;

  @Property({ type: 'string', length: 500 })
  subject!: string;

  @Enum({ items: () => EMAIL_STATUSES, nativeEnumName: 'email_status', default: 'pending' })
  status: EmailStatus & Opt = 'pending';

  @Property({ type: 'integer', default: 0 })
  attempts: number & Opt = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'string', length: 300, nullable: true })
  messageId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  /**
   * While a sender holds the mail (rendering it, talking SMTP), until when: another sender that
   * finds it held does not send it too. Cleared when the attempt ends; a crashed sender's claim
   * runs out.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sendingUntil?: Date | null;

  /** What it was about, e.g. "application:<id>", to list a subject's mail. */
  @Property({ type: 'string', length: 200, nullable: true })
  subjectRef?: string | null;
}
