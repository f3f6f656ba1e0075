import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys are claimed before the work runs: a state, the claim's holder and its lease. */
export class Migration20261130093817_idempotency_claims extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "idempotency_state" as enum ('in-progress', 'done');`);
    this.addSql(
      `alter table "idempotency_record" add column "state" "idempotency_state" not null default 'done', add column "claim_token" uuid null, add column "locked_until" timestamptz null;`,
    );
    this.addSql(`alter table "idempotency_record" alter column "response_status" drop not null, alter column "response_body" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "idempotency_record" where "state" = 'in-progress';`);
    this.addSql(`alter table "idempotency_record" drop column "state", drop column "claim_token", drop column "locked_until";`);
    this.addSql(`alter table "idempotency_record" alter column "response_status" set not null, alter column "response_body" set not null;`);
    this.addSql(`drop type "idempotency_state";`);
  }
}
