import { Migration } from '@mikro-orm/migrations';

export class Migration20261130174213_usage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "resource_event_kind" as enum ('start', 'change', 'stop');`);
    this.addSql(`create type "usage_source" as enum ('provisioning', 'api', 'import');`);
    this.addSql(`create type "usage_import_format" as enum ('csv', 'ndjson', 'json');`);
    this.addSql(`create type "usage_import_status" as enum ('imported', 'refused');`);
    this.addSql(
      `create table "resource_event" ("id" uuid not null, "transaction_id" varchar(200) not null, "client_id" uuid not null, "resource_id" varchar(200) not null, "sku" varchar(64) not null, "kind" "resource_event_kind" not null, "quantity" numeric(20,6) null, "occurred_at" timestamptz not null, "received_at" timestamptz not null default now(), "source" "usage_source" not null, "source_ref" varchar(300) null, "recorded_by" varchar(200) not null, "freeze_period" char(7) null, "frozen_at" timestamptz null, constraint "resource_event_pkey" primary key ("id"), constraint resource_event_freeze_period_check check ("freeze_period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'), constraint resource_event_quantity_check check (("kind" = 'stop' and "quantity" is null) or ("kind" <> 'stop' and "quantity" >= 0)));`,
    );
    this.addSql(`alter table "resource_event" add constraint "resource_event_transaction_id_unique" unique ("transaction_id");`);
    this.addSql(`create index "resource_event_unfrozen_idx" on "resource_event" ("received_at") where "freeze_period" is null;`);
    this.addSql(`create index "resource_event_resource_id_occurred_at_index" on "resource_event" ("resource_id", "occurred_at");`);
    this.addSql(`create index "resource_event_client_id_occurred_at_index" on "resource_event" ("client_id", "occurred_at");`);

    this.addSql(
      `create table "usage_freeze" ("period" char(7) not null, "frozen_at" timestamptz not null, "frozen_by" varchar(200) not null, "event_count" int not null, "line_count" int not null, constraint "usage_freeze_pkey" primary key ("period"));`,
    );

    this.addSql(
      `create table "usage_import" ("id" uuid not null, "file_name" varchar(300) null, "format" "usage_import_format" not null, "status" "usage_import_status" not null, "line_count" int not null default 0, "imported_count" int not null default 0, "duplicate_count" int not null default 0, "error_count" int not null default 0, "errors" jsonb null, "byte_count" int not null default 0, "created_by" varchar(200) not null, "created_at" timestamptz not null, "completed_at" timestamptz not null, constraint "usage_import_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "usage_import_created_at_index" on "usage_import" ("created_at");`);

    this.addSql(
      `create table "usage_line" ("id" uuid not null, "transaction_id" varchar(200) not null, "client_id" uuid not null, "sku" varchar(64) not null, "quantity" numeric(20,6) not null, "period" char(7) not null, "description" text null, "usage_import_id" uuid not null, "line_number" int not null, "received_at" timestamptz not null default now(), "freeze_period" char(7) null, "frozen_at" timestamptz null, constraint "usage_line_pkey" primary key ("id"), constraint usage_line_period_check check ("period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' and "freeze_period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'), constraint usage_line_quantity_check check ("quantity" >= 0));`,
    );
    this.addSql(`alter table "usage_line" add constraint "usage_line_transaction_id_unique" unique ("transaction_id");`);
    this.addSql(`create index "usage_line_unfrozen_idx" on "usage_line" ("received_at") where "freeze_period" is null;`);
    this.addSql(`create index "usage_line_usage_import_id_index" on "usage_line" ("usage_import_id");`);
    this.addSql(`create index "usage_line_client_id_period_index" on "usage_line" ("client_id", "period");`);

    this.addSql(
      `alter table "resource_event" add constraint "resource_event_client_id_foreign" foreign key ("client_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "usage_line" add constraint "usage_line_client_id_foreign" foreign key ("client_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "usage_line" add constraint "usage_line_usage_import_id_foreign" foreign key ("usage_import_id") references "usage_import" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "usage_line" drop constraint "usage_line_usage_import_id_foreign";`);

    this.addSql(`drop table if exists "resource_event" cascade;`);

    this.addSql(`drop table if exists "usage_freeze" cascade;`);

    this.addSql(`drop table if exists "usage_import" cascade;`);

    this.addSql(`drop table if exists "usage_line" cascade;`);

    this.addSql(`drop type "resource_event_kind";`);
    this.addSql(`drop type "usage_source";`);
    this.addSql(`drop type "usage_import_format";`);
    this.addSql(`drop type "usage_import_status";`);
  }
}
