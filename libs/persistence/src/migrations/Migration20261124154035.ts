import { Migration } from '@mikro-orm/migrations';

export class Migration20261124154035 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "catalog_category" as enum ('compute', 'storage', 'network', 'licence', 'service');`);
    this.addSql(`create type "party_kind" as enum ('operator', 'distributor', 'agent', 'reseller', 'client');`);
    this.addSql(`create type "party_status" as enum ('applied', 'active', 'suspended', 'closed');`);
    this.addSql(`create type "user_status" as enum ('invited', 'active', 'disabled');`);
    this.addSql(
      `create table "catalog_item" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sku" varchar(64) not null, "name" varchar(200) not null, "category" "catalog_category" not null, "unit" varchar(40) not null, "retired_at" timestamptz null, constraint "catalog_item_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "catalog_item" add constraint "catalog_item_sku_unique" unique ("sku");`);

    this.addSql(
      `create table "catalog_price" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "item_id" uuid not null, "currency" varchar(3) not null, "unit_price" numeric(20,6) not null, "effective_from" timestamptz not null, "effective_to" timestamptz null, constraint "catalog_price_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "catalog_price_item_id_effective_from_index" on "catalog_price" ("item_id", "effective_from");`);

    this.addSql(
      `create table "idempotency_record" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "principal" varchar(100) not null, "key" varchar(200) not null, "route" varchar(300) not null, "request_hash" varchar(64) not null, "response_status" int not null, "response_body" jsonb not null, constraint "idempotency_record_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_principal_key_unique" unique ("principal", "key");`);

    this.addSql(
      `create table "party" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" "party_kind" not null, "name" varchar(200) not null, "code" varchar(80) not null, "status" "party_status" not null default 'active', "parent_id" uuid null, "path" text not null, "depth" int not null, "found_by_id" uuid null, "billing_email" varchar(320) null, "tax_id" varchar(64) null, constraint "party_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "party" add constraint "party_code_unique" unique ("code");`);
    this.addSql(`create index "party_found_by_id_index" on "party" ("found_by_id");`);
    this.addSql(`create index "party_parent_id_index" on "party" ("parent_id");`);
    this.addSql(`create index "party_path_idx" on "party" ("path" text_pattern_ops);`);
    this.addSql(`create index "party_kind_index" on "party" ("kind");`);

    this.addSql(
      `create table "party_status_change" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "party_id" uuid not null, "from_status" "party_status" not null, "to_status" "party_status" not null, "reason" text not null, "requested_by" varchar(100) not null, "workflow_id" varchar(300) not null, constraint "party_status_change_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "party_status_change" add constraint "party_status_change_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "party_status_change_party_id_created_at_index" on "party_status_change" ("party_id", "created_at");`);

    this.addSql(
      `create table "app_user" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "email" varchar(320) not null, "display_name" varchar(200) not null, "password_hash" varchar(100) null, "party_id" uuid not null, "roles" text[] not null, "status" "user_status" not null default 'active', "last_login_at" timestamptz null, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`create index "app_user_party_id_index" on "app_user" ("party_id");`);

    this.addSql(
      `create table "api_key" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "prefix" varchar(16) not null, "secret_hash" varchar(64) not null, "party_id" uuid not null, "created_by_id" uuid not null, "roles" text[] not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "api_key" add constraint "api_key_prefix_unique" unique ("prefix");`);
    this.addSql(`create index "api_key_party_id_index" on "api_key" ("party_id");`);

    this.addSql(
      `alter table "catalog_price" add constraint "catalog_price_item_id_foreign" foreign key ("item_id") references "catalog_item" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "party" add constraint "party_parent_id_foreign" foreign key ("parent_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "party" add constraint "party_found_by_id_foreign" foreign key ("found_by_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "party_status_change" add constraint "party_status_change_party_id_foreign" foreign key ("party_id") references "party" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "app_user" add constraint "app_user_party_id_foreign" foreign key ("party_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_party_id_foreign" foreign key ("party_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`,
    );
  }
}
