import { Migration } from '@mikro-orm/migrations';

export class Migration20261130141327_hosts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "host_kind" as enum ('vsphere', 'libvirt');`);
    this.addSql(`create type "host_status" as enum ('active', 'maintenance', 'retired');`);
    this.addSql(`create type "reservation_state" as enum ('reserved', 'committed', 'released');`);
    this.addSql(
      `create table "host" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(100) not null, "kind" "host_kind" not null, "status" "host_status" not null default 'active', "sdk_url" varchar(500) null, "username" varchar(200) null, "password_sealed" text null, "datacenter" varchar(200) null, "cluster" varchar(200) null, "datastore" varchar(200) null, "network" varchar(200) null, "insecure_tls" boolean not null default false, "ca_certificate" text null, "uri" varchar(500) null, "capacity_vcpu" int not null, "capacity_ram_gb" int not null, "capacity_storage_gb" int not null, "reserved_vcpu" int not null default 0, "reserved_ram_gb" int not null default 0, "reserved_storage_gb" int not null default 0, "tags" text[] not null default '{}', "last_check" jsonb null, constraint "host_pkey" primary key ("id"), constraint host_connection_fits_kind check ((kind = 'vsphere' and sdk_url is not null and username is not null and password_sealed is not null and datacenter is not null and cluster is not null and datastore is not null and network is not null and uri is null) or (kind = 'libvirt' and uri is not null and sdk_url is null and password_sealed is null)), constraint host_amounts_not_negative check (least(capacity_vcpu, capacity_ram_gb, capacity_storage_gb, reserved_vcpu, reserved_ram_gb, reserved_storage_gb) >= 0), constraint host_reserved_within_capacity check (reserved_vcpu <= capacity_vcpu and reserved_ram_gb <= capacity_ram_gb and reserved_storage_gb <= capacity_storage_gb));`,
    );
    this.addSql(`alter table "host" add constraint "host_name_unique" unique ("name");`);

    this.addSql(
      `create table "capacity_reservation" ("id" varchar(300) not null, "host_id" uuid not null, "vcpu" int not null, "ram_gb" int not null, "storage_gb" int not null, "state" "reservation_state" not null default 'reserved', "created_at" timestamptz not null, "updated_at" timestamptz not null, "released_at" timestamptz null, constraint "capacity_reservation_pkey" primary key ("id"), constraint capacity_reservation_amounts_not_negative check (least(vcpu, ram_gb, storage_gb) >= 0));`,
    );
    this.addSql(`create index "capacity_reservation_host_id_state_index" on "capacity_reservation" ("host_id", "state");`);

    this.addSql(
      `alter table "capacity_reservation" add constraint "capacity_reservation_host_id_foreign" foreign key ("host_id") references "host" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "capacity_reservation" drop constraint "capacity_reservation_host_id_foreign";`);

    this.addSql(`drop table if exists "host" cascade;`);

    this.addSql(`drop table if exists "capacity_reservation" cascade;`);

    this.addSql(`drop type "host_kind";`);
    this.addSql(`drop type "host_status";`);
    this.addSql(`drop type "reservation_state";`);
  }
}
