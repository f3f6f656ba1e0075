import { Migration } from '@mikro-orm/migrations';

/**
 * Solution designs: catalog items' design attributes (a VM template's limits, an OS licence, the
 * unit items), solutions per client (names unique per client, case-insensitively), immutable design
 * versions (a trigger refuses any change to a version's graph, number, solution, author or creation
 * instant; one approved version per solution), resellers' solution policies, and share links.
 */
export class Migration20261130162947_solution_designs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "catalog_item" add column "design" jsonb null;`);

    this.addSql(
      `create type "solution_status" as enum ('draft', 'validating', 'awaiting-client', 'awaiting-operator', 'changes-requested', 'approved', 'rejected', 'withdrawn', 'expired');`,
    );
    this.addSql(
      `create type "design_version_status" as enum ('draft', 'submitted', 'changes-requested', 'approved', 'rejected', 'withdrawn', 'expired', 'superseded');`,
    );

    this.addSql(
      `create table "solution" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "client_id" uuid not null, "name" varchar(200) not null, "status" "solution_status" not null default 'draft', "workflow_id" varchar(200) not null, "round" int not null default 0, "latest_version" int not null default 0, "current_version" int null, "approved_version" int null, "status_reason" text null, "changes_requested" jsonb null, "created_by" varchar(100) not null, constraint "solution_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "solution_client_id_index" on "solution" ("client_id");`);
    this.addSql(`create unique index "solution_client_name_unique" on "solution" ("client_id", lower("name"));`);

    this.addSql(
      `create table "design_version" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "solution_id" uuid not null, "version" int not null, "graph" jsonb not null, "author_id" uuid not null, "author_email" varchar(320) not null, "note" text null, "status" "design_version_status" not null default 'draft', "round" int null, "submitted_at" timestamptz null, "decided_at" timestamptz null, "quote" jsonb null, "monthly_total" numeric(20,6) null, "currency" varchar(3) null, "vcpus" int null, constraint "design_version_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "design_version_solution_id_status_index" on "design_version" ("solution_id", "status");`);
    this.addSql(`alter table "design_version" add constraint "design_version_solution_id_version_unique" unique ("solution_id", "version");`);
    this.addSql(`create unique index "design_version_one_approved" on "design_version" ("solution_id") where "status" = 'approved';`);

    this.addSql(
      `create table "solution_policy" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "reseller_id" uuid not null, "policy" jsonb not null, "updated_by" varchar(100) not null, constraint "solution_policy_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "solution_policy" add constraint "solution_policy_reseller_id_unique" unique ("reseller_id");`);

    this.addSql(
      `create table "design_share_link" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version_id" uuid not null, "created_by" varchar(100) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" varchar(100) null, constraint "design_share_link_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "design_share_link_version_id_index" on "design_share_link" ("version_id");`);

    this.addSql(
      `alter table "solution" add constraint "solution_client_id_foreign" foreign key ("client_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "design_version" add constraint "design_version_solution_id_foreign" foreign key ("solution_id") references "solution" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "solution_policy" add constraint "solution_policy_reseller_id_foreign" foreign key ("reseller_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "design_share_link" add constraint "design_share_link_version_id_foreign" foreign key ("version_id") references "design_version" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`create function "design_version_immutable"() returns trigger language plpgsql as $$
begin
  if new."graph" is distinct from old."graph" or new."version" <> old."version" or new."solution_id" <> old."solution_id"
     or new."author_id" <> old."author_id" or new."created_at" <> old."created_at" then
    raise exception 'design versions are immutable: save a new version instead' using errcode = 'check_violation';
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "design_version_immutable" before update on "design_version" for each row execute function "design_version_immutable"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "design_share_link" cascade;`);
    this.addSql(`drop table if exists "solution_policy" cascade;`);
    this.addSql(`drop table if exists "design_version" cascade;`);
    this.addSql(`drop function if exists "design_version_immutable"();`);
    this.addSql(`drop table if exists "solution" cascade;`);
    this.addSql(`drop type "design_version_status";`);
    this.addSql(`drop type "solution_status";`);
    this.addSql(`alter table "catalog_item" drop column "design";`);
  }
}
