import { Migration } from '@mikro-orm/migrations';

/** Rate-limit counters shared by every API instance (sign-in throttling). */
export class Migration20261130141529_throttle_counters extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "throttle_counter" ("key" varchar(200) not null, "hits" int not null default 0, "window_ends_at" timestamptz not null, "blocked_until" timestamptz null, "strikes" int not null default 0, "strikes_expire_at" timestamptz null, "updated_at" timestamptz not null, constraint "throttle_counter_pkey" primary key ("key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "throttle_counter" cascade;`);
  }
}
