import { Migration } from '@mikro-orm/migrations';

export class Migration20261124161026 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "price_rule_kind" as enum ('uplift', 'discount', 'fixed');`);
    this.addSql(`create type "price_book_audience" as enum ('clients', 'subResellers');`);
    this.addSql(
      `create table "client_price_override" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "client_id" uuid not null, "item_id" uuid not null, "kind" "price_rule_kind" not null, "value" numeric(20,6) not null, "effective_from" timestamptz not null, "effective_to" timestamptz null, "created_by" varchar(100) not null, constraint "client_price_override_pkey" primary key ("id"), constraint client_price_override_range_check check (effective_to is null or effective_to > effective_from));`,
    );
    this.addSql(
      `create index "client_price_override_client_id_item_id_effective_from_index" on "client_price_override" ("client_id", "item_id", "effective_from");`,
    );

    this.addSql(
      `create table "price_book_version" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "reseller_id" uuid not null, "audience" "price_book_audience" not null, "default_uplift_percent" numeric(12,6) not null, "effective_from" timestamptz not null, "effective_to" timestamptz null, "created_by" varchar(100) not null, constraint "price_book_version_pkey" primary key ("id"), constraint price_book_version_range_check check (effective_to is null or effective_to > effective_from));`,
    );
    this.addSql(
      `create index "price_book_version_reseller_id_audience_effective_from_index" on "price_book_version" ("reseller_id", "audience", "effective_from");`,
    );

    this.addSql(
      `create table "price_book_rule" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version_id" uuid not null, "item_id" uuid not null, "kind" "price_rule_kind" not null, "value" numeric(20,6) not null, constraint "price_book_rule_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "price_book_rule" add constraint "price_book_rule_version_id_item_id_unique" unique ("version_id", "item_id");`);

    this.addSql(
      `alter table "client_price_override" add constraint "client_price_override_client_id_foreign" foreign key ("client_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "client_price_override" add constraint "client_price_override_item_id_foreign" foreign key ("item_id") references "catalog_item" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "price_book_version" add constraint "price_book_version_reseller_id_foreign" foreign key ("reseller_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "price_book_rule" add constraint "price_book_rule_version_id_foreign" foreign key ("version_id") references "price_book_version" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "price_book_rule" add constraint "price_book_rule_item_id_foreign" foreign key ("item_id") references "catalog_item" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "price_book_rule" drop constraint "price_book_rule_version_id_foreign";`);

    this.addSql(`drop table if exists "client_price_override" cascade;`);

    this.addSql(`drop table if exists "price_book_version" cascade;`);

    this.addSql(`drop table if exists "price_book_rule" cascade;`);

    this.addSql(`drop type "price_rule_kind";`);
    this.addSql(`drop type "price_book_audience";`);
  }
}
