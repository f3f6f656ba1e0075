import { Migration } from '@mikro-orm/migrations';

/**
 * Month-end billing runs:
 * - `billing_run` (status, phase, progress, totals, invariants) with at most one real run under way
 *   per period and one completed per period (unique partial indexes);
 * - the runs' working tables, keyed by (run, round, …): pages, rated lines, cut lines, the ledger
 *   per page and account, excluded (late) usage;
 * - `billing_document` and `billing_document_line`, final ones immutable by statement triggers
 *   (UPDATE, DELETE, TRUNCATE of a final document or its lines, and lines added to one, are refused);
 * - `billing_number_counter`: one gap-free sequence per issuer and series;
 * - billing periods gain the states `running`, `draft` and `awaiting-approval`;
 * - distributor agreements gain optional volume tiers.
 */
export class Migration20261130203518_billing_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "billing_run" ("id" uuid not null, "period" varchar(7) not null, "mode" text check ("mode" in ('run', 'dry-run', 'what-if')) not null, "workflow_id" varchar(200) not null, "status" text check ("status" in ('running', 'awaiting-approval', 'changes-requested', 'finalising', 'emailing', 'completed', 'rejected', 'expired', 'failed')) not null default 'running', "phase" text check ("phase" in ('freeze', 'rate', 'cuts', 'drafts', 'check', 'approval', 'finalise', 'email', 'publish', 'done')) not null default 'freeze', "round" int not null default 1, "clients_total" int not null default 0, "clients_rated" int not null default 0, "documents_total" int not null default 0, "documents_final" int not null default 0, "emails_total" int not null default 0, "emails_sent" int not null default 0, "excluded_count" int not null default 0, "currency" varchar(3) null, "totals" jsonb null, "invariants" jsonb null, "volumes" jsonb null, "what_if" jsonb null, "result" jsonb null, "failure" jsonb null, "decision" jsonb null, "started_by" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "finished_at" timestamptz null, constraint "billing_run_pkey" primary key ("id"), constraint "billing_run_period_check" check ("period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'));`,
    );
    this.addSql(`create index "billing_run_period_created_at_index" on "billing_run" ("period", "created_at");`);
    this.addSql(
      `create unique index "billing_run_active_unique" on "billing_run" ("period") where "mode" = 'run' and "status" in ('running', 'awaiting-approval', 'changes-requested', 'finalising', 'emailing');`,
    );
    this.addSql(`create unique index "billing_run_completed_unique" on "billing_run" ("period") where "mode" = 'run' and "status" = 'completed';`);

    this.addSql(
      `create table "billing_run_page" ("run_id" uuid not null, "round" int not null, "page" int not null, "first_client_id" uuid not null, "last_client_id" uuid not null, "client_count" int not null, "rated_line_count" int not null, "excluded_count" int not null default 0, "volumes" jsonb null, "rated_at" timestamptz not null, "cut_at" timestamptz null, "violations" jsonb null, constraint "billing_run_page_pkey" primary key ("run_id", "round", "page"));`,
    );
    this.addSql(
      `create table "billing_rated_line" ("run_id" uuid not null, "round" int not null, "scenario" varchar(10) not null, "id" text not null, "page" int not null, "client_id" uuid not null, "reseller_id" uuid not null, "top_reseller_id" uuid not null, "sku" varchar(64) not null, "usage_period" varchar(7) not null, "late" boolean not null, "from_at" timestamptz not null, "to_at" timestamptz not null, "quantity" numeric not null, "prorated_quantity" numeric not null, "seconds" bigint not null, "seconds_in_period" bigint not null, "currency" varchar(3) not null, "wholesale_unit_price" numeric not null, "wholesale_price_version_id" uuid null, "client_unit_price" numeric not null, "wholesale_amount" numeric not null, "client_amount" numeric not null, "tiers" jsonb not null, "distributor_id" uuid null, "distributor_agreement_id" uuid null, "agent_id" uuid null, "agent_agreement_id" uuid null, "agent_eligible" boolean not null, "origin" jsonb not null, constraint "billing_rated_line_pkey" primary key ("run_id", "round", "scenario", "id"));`,
    );
    this.addSql(`create index "billing_rated_line_run_id_round_page_index" on "billing_rated_line" ("run_id", "round", "page");`);
    this.addSql(`create index "billing_rated_line_run_id_round_client_id_index" on "billing_rated_line" ("run_id", "round", "client_id");`);
    this.addSql(
      `create table "billing_cut_line" ("run_id" uuid not null, "round" int not null, "scenario" varchar(10) not null, "id" text not null, "page" int not null, "kind" varchar(12) not null, "party_id" uuid not null, "client_id" uuid not null, "top_reseller_id" uuid not null, "agreement_id" uuid not null, "basis" numeric null, "volume" numeric null, "rate_numerator" text null, "rate_denominator" text null, "rate" numeric null, "amount" numeric not null, "fee_per_active_client" numeric null, "seconds" bigint null, "seconds_in_period" bigint null, "funded_by" varchar(12) null, "carved_from" uuid null, "carved_out" numeric null, "operator_funded" numeric null, "rated_line_count" int not null default 0, constraint "billing_cut_line_pkey" primary key ("run_id", "round", "scenario", "id"));`,
    );
    this.addSql(`create index "billing_cut_line_run_id_round_scenario_party_id_index" on "billing_cut_line" ("run_id", "round", "scenario", "party_id");`);
    this.addSql(`create index "billing_cut_line_run_id_round_page_index" on "billing_cut_line" ("run_id", "round", "page");`);
    this.addSql(
      `create table "billing_ledger_balance" ("run_id" uuid not null, "round" int not null, "scenario" varchar(10) not null, "page" int not null, "entry_kind" varchar(30) not null, "account" text not null, "amount" numeric not null, constraint "billing_ledger_balance_pkey" primary key ("run_id", "round", "scenario", "page", "entry_kind", "account"));`,
    );
    this.addSql(
      `create table "billing_excluded_usage" ("run_id" uuid not null, "round" int not null, "kind" varchar(20) not null, "transaction_id" varchar(200) not null, "page" int not null, "client_id" uuid not null, "sku" varchar(64) not null, "resource_id" varchar(200) null, "usage_period" varchar(7) not null, "reason" varchar(40) not null, constraint "billing_excluded_usage_pkey" primary key ("run_id", "round", "kind", "transaction_id"));`,
    );
    this.addSql(`create index "billing_excluded_usage_run_id_round_page_index" on "billing_excluded_usage" ("run_id", "round", "page");`);

    this.addSql(
      `create table "billing_document" ("id" uuid not null, "run_id" uuid not null, "round" int not null, "period" varchar(7) not null, "dry_run" boolean not null default false, "kind" varchar(20) not null, "status" varchar(10) not null default 'draft', "series" varchar(12) not null, "issuer_id" uuid not null, "recipient_id" uuid not null, "issuer_snapshot" jsonb not null, "recipient_snapshot" jsonb not null, "currency" varchar(3) not null, "number" varchar(120) null, "sequence" int null, "issued_at" timestamptz null, "finalised_at" timestamptz null, "deliver_to" varchar(320) null, "agreements" jsonb not null default '[]', "corrects_document_id" uuid null, "line_count" int not null default 0, "gross" numeric not null default 0, "deductions" numeric not null default 0, "total" numeric not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "billing_document_pkey" primary key ("id"), constraint "billing_document_kind_check" check ("kind" in ('client-invoice', 'wholesale-invoice', 'payout-invoice', 'credit-note')), constraint "billing_document_series_check" check ("series" in ('invoice', 'payout', 'credit-note')), constraint "billing_document_status_check" check ("status" in ('draft', 'final')), constraint "billing_document_final_check" check (("status" = 'final') = ("number" is not null and "sequence" is not null and "finalised_at" is not null)));`,
    );
    this.addSql(`create index "billing_document_run_id_round_kind_index" on "billing_document" ("run_id", "round", "kind");`);
    this.addSql(`create index "billing_document_issuer_id_status_index" on "billing_document" ("issuer_id", "status");`);
    this.addSql(`create index "billing_document_recipient_id_status_index" on "billing_document" ("recipient_id", "status");`);
    this.addSql(`create index "billing_document_period_status_index" on "billing_document" ("period", "status");`);
    this.addSql(
      `create unique index "billing_document_draft_unique" on "billing_document" ("run_id", "round", "kind", "issuer_id", "recipient_id", coalesce("corrects_document_id", '00000000-0000-0000-0000-000000000000'::uuid));`,
    );
    this.addSql(
      `create unique index "billing_document_sequence_unique" on "billing_document" ("issuer_id", "series", "sequence") where "sequence" is not null;`,
    );

    this.addSql(
      `alter table "billing_document" add constraint "billing_document_issuer_id_foreign" foreign key ("issuer_id") references "party" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "billing_document" add constraint "billing_document_recipient_id_foreign" foreign key ("recipient_id") references "party" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `create table "billing_document_line" ("id" uuid not null default gen_random_uuid(), "document_id" uuid not null, "kind" varchar(20) not null, "sort_key" text not null, "description" text not null, "client_id" uuid null, "client_name" varchar(200) null, "reseller_id" uuid null, "reseller_name" varchar(200) null, "agent_id" uuid null, "agent_name" varchar(200) null, "client_count" int null, "sku" varchar(64) null, "unit" varchar(40) null, "usage_period" varchar(7) null, "from_at" timestamptz null, "to_at" timestamptz null, "quantity" numeric null, "prorated_quantity" numeric null, "unit_price" numeric null, "basis" numeric null, "rate" numeric null, "agreement_id" uuid null, "corrects_line_id" uuid null, "amount" numeric not null, "source_ref" text not null, "source_tier" int null, constraint "billing_document_line_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "billing_document_line_document_id_sort_key_index" on "billing_document_line" ("document_id", "sort_key");`);
    this.addSql(
      `alter table "billing_document_line" add constraint "billing_document_line_document_id_foreign" foreign key ("document_id") references "billing_document" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "billing_number_counter" ("issuer_id" uuid not null, "series" varchar(12) not null, "last_sequence" int not null default 0, "updated_at" timestamptz not null, constraint "billing_number_counter_pkey" primary key ("issuer_id", "series"), constraint "billing_number_counter_last_sequence_check" check ("last_sequence" >= 0));`,
    );

    // Final is final: statement-level triggers over transition tables, so numbering 100k documents
    // or inserting a million draft lines costs one check per statement, not one per row.
    this.addSql(`create function "billing_document_final_is_final"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'TRUNCATE' then
    if exists (select 1 from "billing_document" where "status" = 'final') then
      raise exception 'billing documents: final documents never change (truncate refused)'
        using errcode = 'integrity_constraint_violation', constraint = 'billing_document_final_is_final';
    end if;
    return null;
  end if;
  if exists (select 1 from old_rows where "status" = 'final') then
    raise exception 'billing document % is final: it never changes', (select "number" from old_rows where "status" = 'final' limit 1)
      using errcode = 'integrity_constraint_violation', constraint = 'billing_document_final_is_final';
  end if;
  return null;
end
$$;`);
    this.addSql(
      `create trigger "billing_document_final_update" after update on "billing_document" referencing old table as old_rows for each statement execute function "billing_document_final_is_final"();`,
    );
    this.addSql(
      `create trigger "billing_document_final_delete" after delete on "billing_document" referencing old table as old_rows for each statement execute function "billing_document_final_is_final"();`,
    );
    this.addSql(
      `create trigger "billing_document_final_truncate" before truncate on "billing_document" for each statement execute function "billing_document_final_is_final"();`,
    );

    this.addSql(`create function "billing_document_line_final_is_final"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'TRUNCATE' then
    if exists (select 1 from "billing_document" where "status" = 'final') then
      raise exception 'billing document lines: lines of final documents never change (truncate refused)'
        using errcode = 'integrity_constraint_violation', constraint = 'billing_document_line_final_is_final';
    end if;
    return null;
  end if;
  -- Each transition table exists only for the operations that have it: test them in separate blocks.
  if TG_OP in ('UPDATE', 'DELETE') then
    if exists (select 1 from old_rows o join "billing_document" d on d."id" = o."document_id" where d."status" = 'final') then
      raise exception 'a line of a final billing document never changes'
        using errcode = 'integrity_constraint_violation', constraint = 'billing_document_line_final_is_final';
    end if;
  end if;
  if TG_OP in ('UPDATE', 'INSERT') then
    if exists (select 1 from new_rows n join "billing_document" d on d."id" = n."document_id" where d."status" = 'final') then
      raise exception 'no line may be added to a final billing document'
        using errcode = 'integrity_constraint_violation', constraint = 'billing_document_line_final_is_final';
    end if;
  end if;
  return null;
end
$$;`);
    this.addSql(
      `create trigger "billing_document_line_final_insert" after insert on "billing_document_line" referencing new table as new_rows for each statement execute function "billing_document_line_final_is_final"();`,
    );
    this.addSql(
      `create trigger "billing_document_line_final_update" after update on "billing_document_line" referencing old table as old_rows new table as new_rows for each statement execute function "billing_document_line_final_is_final"();`,
    );
    this.addSql(
      `create trigger "billing_document_line_final_delete" after delete on "billing_document_line" referencing old table as old_rows for each statement execute function "billing_document_line_final_is_final"();`,
    );
    this.addSql(
      `create trigger "billing_document_line_final_truncate" before truncate on "billing_document_line" for each statement execute function "billing_document_line_final_is_final"();`,
    );

    this.addSql(`alter table "billing_period" drop constraint if exists "billing_period_status_check";`);
    this.addSql(
      `alter table "billing_period" add constraint "billing_period_status_check" check ("status" in ('open', 'running', 'draft', 'awaiting-approval', 'finalised'));`,
    );

    this.addSql(`alter table "commission_agreement" add column "volume_tiers" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "commission_agreement" drop column if exists "volume_tiers";`);
    this.addSql(`alter table "billing_period" drop constraint if exists "billing_period_status_check";`);
    this.addSql(`alter table "billing_period" add constraint "billing_period_status_check" check ("status" in ('open', 'finalised'));`);
    for (const table of [
      'billing_document_line',
      'billing_document',
      'billing_number_counter',
      'billing_excluded_usage',
      'billing_ledger_balance',
      'billing_cut_line',
      'billing_rated_line',
      'billing_run_page',
      'billing_run',
    ]) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
    this.addSql(`drop function if exists "billing_document_line_final_is_final"();`);
    this.addSql(`drop function if exists "billing_document_final_is_final"();`);
  }
}
