import { Migration } from '@mikro-orm/migrations';

export class Migration20261130183417_provisioning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "environment_state" as enum ('provisioning', 'running', 'resizing', 'deprovisioning', 'deprovisioned', 'failed', 'error');`);
    this.addSql(`create type "environment_operation" as enum ('provision', 'resize', 'deprovision');`);
    this.addSql(`create type "provisioned_resource_kind" as enum ('network', 'vm', 'volume', 'public-ip');`);
    this.addSql(`create type "provisioned_resource_state" as enum ('pending', 'created', 'running', 'destroyed');`);
    this.addSql(`create type "provisioning_step_status" as enum ('done', 'failed', 'undone', 'undo-failed');`);
    this.addSql(
      `create table "environment" ("solution_id" uuid not null, "client_id" uuid not null, "reseller_id" uuid not null, "state" "environment_state" not null, "generation" int not null default 1, "design_version_id" uuid not null, "design_version_no" int null, "plan" jsonb not null, "target_plan" jsonb null, "host_id" uuid null, "reservation_key" varchar(300) null, "operation" "environment_operation" not null, "workflow_id" varchar(300) not null, "run_id" varchar(100) not null, "phase" varchar(32) not null, "steps_total" int not null default 0, "error_code" varchar(100) null, "error_message" text null, "requested_by" varchar(200) not null, "operation_started_at" timestamptz not null, "operation_finished_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "environment_pkey" primary key ("solution_id"));`,
    );
    this.addSql(`create index "environment_reseller_id_index" on "environment" ("reseller_id");`);
    this.addSql(`create index "environment_client_id_index" on "environment" ("client_id");`);

    this.addSql(
      `create table "provisioned_resource" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "solution_id" uuid not null, "generation" int not null, "design_version_id" uuid not null, "kind" "provisioned_resource_kind" not null, "key" varchar(63) not null, "name" varchar(100) not null, "hypervisor_name" varchar(63) null, "hypervisor_id" varchar(200) null, "host_id" uuid null, "state" "provisioned_resource_state" not null default 'pending', "vm_key" varchar(63) null, "vcpus" int null, "ram_gb" int null, "disk_gb" int null, "spec" jsonb not null, "billed" jsonb not null default '[]', "started_at" timestamptz null, "changed_at" timestamptz null, "stopped_at" timestamptz null, constraint "provisioned_resource_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "provisioned_resource_solution_id_state_index" on "provisioned_resource" ("solution_id", "state");`);
    this.addSql(`alter table "provisioned_resource" add constraint "provisioned_resource_key_unique" unique ("solution_id", "generation", "kind", "key");`);

    this.addSql(
      `create table "provisioning_step" ("id" uuid not null, "solution_id" uuid not null, "workflow_id" varchar(300) not null, "run_id" varchar(100) not null, "step" varchar(200) not null, "phase" varchar(32) not null, "status" "provisioning_step_status" not null, "message" text null, "at" timestamptz not null, constraint "provisioning_step_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "provisioning_step_solution_id_at_index" on "provisioning_step" ("solution_id", "at");`);
    this.addSql(`alter table "provisioning_step" add constraint "provisioning_step_once" unique ("workflow_id", "run_id", "step", "status");`);

    this.addSql(
      `alter table "environment" add constraint "environment_client_id_foreign" foreign key ("client_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "environment" add constraint "environment_reseller_id_foreign" foreign key ("reseller_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "environment" add constraint "environment_host_id_foreign" foreign key ("host_id") references "host" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "provisioned_resource" add constraint "provisioned_resource_solution_id_foreign" foreign key ("solution_id") references "environment" ("solution_id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "provisioned_resource" add constraint "provisioned_resource_host_id_foreign" foreign key ("host_id") references "host" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "provisioning_step" add constraint "provisioning_step_solution_id_foreign" foreign key ("solution_id") references "environment" ("solution_id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "host" add column "templates" jsonb not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "provisioned_resource" drop constraint "provisioned_resource_solution_id_foreign";`);

    this.addSql(`alter table "provisioning_step" drop constraint "provisioning_step_solution_id_foreign";`);

    this.addSql(`drop table if exists "environment" cascade;`);

    this.addSql(`drop table if exists "provisioned_resource" cascade;`);

    this.addSql(`drop table if exists "provisioning_step" cascade;`);

    this.addSql(`alter table "host" drop column "templates";`);

    this.addSql(`drop type "environment_state";`);
    this.addSql(`drop type "environment_operation";`);
    this.addSql(`drop type "provisioned_resource_kind";`);
    this.addSql(`drop type "provisioned_resource_state";`);
    this.addSql(`drop type "provisioning_step_status";`);
  }
}
