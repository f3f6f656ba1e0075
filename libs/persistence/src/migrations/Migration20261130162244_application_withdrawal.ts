import { Migration } from '@mikro-orm/migrations';

/** Who withdrew an application, why and when. */
export class Migration20261130162244_application_withdrawal extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "application" add column "withdrawn_by" varchar(100) null, add column "withdrawal_reason" text null, add column "withdrawn_at" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "application" drop column "withdrawn_by", drop column "withdrawal_reason", drop column "withdrawn_at";`);
  }
}
