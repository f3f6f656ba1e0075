import { Migration } from '@mikro-orm/migrations';

export class Migration20261124161834 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "approval_task_status" as enum ('open', 'approved', 'rejected', 'changes-requested', 'expired', 'withdrawn', 'cancelled');`);
    this.addSql(`create type "email_status" as enum ('pending', 'sent', 'failed');`);
    this.addSql(`create type "agreement_funder" as enum ('operator', 'distributor');`);
    this.addSql(`create type "application_kind" as enum ('distributor', 'reseller', 'agent');`);
    this.addSql(
      `create type "application_status" as enum ('checking', 'awaiting-sponsor', 'awaiting-operator', 'changes-requested', 'approved', 'provisioning', 'active', 'rejected', 'withdrawn', 'expired');`,
    );
    this.addSql(
      `create table "approval_decision" ("id" varchar(300) not null, "task_id" varchar(300) not null, "workflow_id" varchar(200) not null, "decision" varchar(20) not null, "comment" text null, "decided_by_id" uuid not null, "decided_by_email" varchar(320) null, "decided_by_party_id" uuid not null, "decided_by_roles" text[] not null, "decided_at" timestamptz not null, "outcome" varchar(30) null, constraint "approval_decision_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "approval_decision_workflow_id_index" on "approval_decision" ("workflow_id");`);
    this.addSql(`create index "approval_decision_task_id_index" on "approval_decision" ("task_id");`);

    this.addSql(
      `create table "approval_task" ("id" varchar(300) not null, "workflow_id" varchar(200) not null, "workflow_type" varchar(60) not null, "step_key" varchar(60) not null, "round" int not null, "title" varchar(300) not null, "description" text not null, "subject_type" varchar(60) not null, "subject_id" varchar(100) not null, "subject_url" varchar(500) not null, "assignee_role" varchar(40) not null, "assignee_party_id" uuid not null, "mode" varchar(10) not null, "approver_ids" text[] null, "approvals" jsonb not null, "status" "approval_task_status" not null default 'open', "opened_at" timestamptz not null, "due_at" timestamptz not null, "closed_at" timestamptz null, "reminders_sent" int not null default 0, constraint "approval_task_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "approval_task_workflow_id_index" on "approval_task" ("workflow_id");`);
    this.addSql(`create index "approval_task_assignee_party_id_status_index" on "approval_task" ("assignee_party_id", "status");`);

    this.addSql(
      `create table "email_message" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "idempotency_key" varchar(300) not null, "template" varchar(80) not null, "to_address" varchar(320) not null, "subject" varchar(500) not null, "status" "email_status" not null default 'pending', "attempts" int not null default 0, "last_error" text null, "message_id" varchar(300) null, "sent_at" timestamptz null, "subject_ref" varchar(200) null, constraint "email_message_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "email_message" add constraint "email_message_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "email_message_status_index" on "email_message" ("status");`);

    this.addSql(
      `create table "commission_agreement" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "party_id" uuid not null, "rate" numeric(9,6) not null, "fee_per_active_client" numeric(20,6) null, "currency" varchar(3) not null, "first_months" int null, "funded_by" "agreement_funder" null, "effective_from" timestamptz not null, "effective_to" timestamptz null, constraint "commission_agreement_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "commission_agreement_party_id_effective_from_index" on "commission_agreement" ("party_id", "effective_from");`);

    this.addSql(
      `create table "application" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "business_key" varchar(64) not null, "kind" "application_kind" not null, "status" "application_status" not null default 'checking', "name" varchar(200) not null, "contact_name" varchar(320) not null, "email" varchar(320) not null, "tax_id" varchar(64) not null, "billing_email" varchar(320) null, "branding" jsonb null, "sponsor_id" uuid null, "parent_reseller_id" uuid null, "submitted_by" varchar(100) not null, "round" int not null default 1, "problems" jsonb null, "status_reason" text null, "created_party_id" uuid null, "workflow_id" varchar(200) not null, constraint "application_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "application" add constraint "application_business_key_unique" unique ("business_key");`);
    this.addSql(`create index "application_status_index" on "application" ("status");`);
    this.addSql(`create index "application_sponsor_id_index" on "application" ("sponsor_id");`);

    this.addSql(
      `create table "reseller_assignment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "reseller_id" uuid not null, "distributor_id" uuid null, "effective_from" timestamptz not null, "effective_to" timestamptz null, constraint "reseller_assignment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "reseller_assignment_reseller_id_effective_from_index" on "reseller_assignment" ("reseller_id", "effective_from");`);

    this.addSql(
      `alter table "commission_agreement" add constraint "commission_agreement_party_id_foreign" foreign key ("party_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "application" add constraint "application_sponsor_id_foreign" foreign key ("sponsor_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "application" add constraint "application_parent_reseller_id_foreign" foreign key ("parent_reseller_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "application" add constraint "application_created_party_id_foreign" foreign key ("created_party_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "reseller_assignment" add constraint "reseller_assignment_reseller_id_foreign" foreign key ("reseller_id") references "party" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "reseller_assignment" add constraint "reseller_assignment_distributor_id_foreign" foreign key ("distributor_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`alter table "party" add column "notification_email" varchar(320) null, add column "branding" jsonb null;`);

    this.addSql(`alter table "app_user" add column "invitation_issued_at" timestamptz null, add column "invitation_expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "approval_decision" cascade;`);

    this.addSql(`drop table if exists "approval_task" cascade;`);

    this.addSql(`drop table if exists "email_message" cascade;`);

    this.addSql(`drop table if exists "commission_agreement" cascade;`);

    this.addSql(`drop table if exists "application" cascade;`);

    this.addSql(`drop table if exists "reseller_assignment" cascade;`);

    this.addSql(`alter table "app_user" drop column "invitation_issued_at", drop column "invitation_expires_at";`);

    this.addSql(`alter table "party" drop column "notification_email", drop column "branding";`);

    this.addSql(`drop type "approval_task_status";`);
    this.addSql(`drop type "email_status";`);
    this.addSql(`drop type "agreement_funder";`);
    this.addSql(`drop type "application_kind";`);
    this.addSql(`drop type "application_status";`);
  }
}
