import { Migration } from '@mikro-orm/migrations';

/** The outbox's claim: a sender holds a mail until `sending_until`, so two never send it at once. */
export class Migration20261130214653_email_outbox_claim extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "email_message" add column "sending_until" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "email_message" drop column "sending_until";`);
  }
}
