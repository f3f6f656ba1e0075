import { Migration } from '@mikro-orm/migrations';

/**
 * Going live with history:
 * - `billing_period`: a month's billing status; a finalised row never changes again (trigger).
 * - `party.active_since`: a client's "customer since"; existing clients get their creation instant.
 * - `client_agent_credit`: the effective-dated history of `party.found_by`; each existing client
 *   gets one open span from its `active_since`, credited to its current agent (or to none).
 */
export class Migration20261130152947_going_live extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "billing_period" ("period" varchar(7) not null, "status" text check ("status" in ('open', 'finalised')) not null default 'open', "finalised_at" timestamptz null, "finalised_by" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "billing_period_pkey" primary key ("period"), constraint "billing_period_period_check" check ("period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'), constraint "billing_period_finalised_check" check (("status" = 'finalised') = ("finalised_at" is not null and "finalised_by" is not null)));`,
    );
    // What is finalised never changes: not back to open, not re-stamped, not deleted.
    this.addSql(`create function "billing_period_finalised_is_final"() returns trigger language plpgsql as $$
begin
  if OLD."status" = 'finalised' then
    raise exception 'billing period % is finalised: it never changes', OLD."period"
      using errcode = 'integrity_constraint_violation', constraint = 'billing_period_finalised_is_final';
  end if;
  if TG_OP = 'DELETE' then
    return OLD;
  end if;
  return NEW;
end
$$;`);
    this.addSql(
      `create trigger "billing_period_finalised_is_final" before update or delete on "billing_period" for each row execute function "billing_period_finalised_is_final"();`,
    );

    this.addSql(`alter table "party" add column "active_since" timestamptz null;`);
    this.addSql(`update "party" set "active_since" = "created_at" where "kind" = 'client';`);
    this.addSql(`alter table "party" add constraint "party_active_since_check" check (("kind" = 'client') = ("active_since" is not null));`);

    this.addSql(
      `create table "client_agent_credit" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "client_id" uuid not null, "agent_id" uuid null, "effective_from" timestamptz not null, "effective_to" timestamptz null, constraint "client_agent_credit_pkey" primary key ("id"), constraint "client_agent_credit_range_check" check ("effective_to" is null or "effective_to" > "effective_from"));`,
    );
    this.addSql(`create index "client_agent_credit_client_id_effective_from_index" on "client_agent_credit" ("client_id", "effective_from");`);
    this.addSql(`create index "client_agent_credit_agent_id_index" on "client_agent_credit" ("agent_id");`);
    this.addSql(`create unique index "client_agent_credit_open_unique" on "client_agent_credit" ("client_id") where "effective_to" is null;`);
    this.addSql(
      `alter table "client_agent_credit" add constraint "client_agent_credit_client_id_foreign" foreign key ("client_id") references "party" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "client_agent_credit" add constraint "client_agent_credit_agent_id_foreign" foreign key ("agent_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `insert into "client_agent_credit" ("id", "created_at", "updated_at", "client_id", "agent_id", "effective_from") select gen_random_uuid(), now(), now(), "id", "found_by_id", "active_since" from "party" where "kind" = 'client';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "client_agent_credit" cascade;`);
    this.addSql(`alter table "party" drop constraint if exists "party_active_since_check";`);
    this.addSql(`alter table "party" drop column if exists "active_since";`);
    this.addSql(`drop table if exists "billing_period" cascade;`);
    this.addSql(`drop function if exists "billing_period_finalised_is_final"();`);
  }
}
