import { Migration } from '@mikro-orm/migrations';

/**
 * A billing document line's reference to its document, checked once per statement instead of once
 * per row. The foreign key ran its check (an index lookup and a `FOR KEY SHARE` lock through SPI)
 * for every line: a month-end run writes about two million of them, and the check cost about as
 * much as the rest of their `COPY` together. The same rules now live in the statement triggers
 * that already keep final documents final, over the same transition tables:
 * - lines inserted or updated: every document they name exists, locked `FOR KEY SHARE` until the
 *   transaction ends as the foreign key locks it (a concurrent delete of the document waits, and a
 *   document deleted first fails the statement, `foreign_key_violation` under the foreign key's
 *   name), and none is final;
 * - documents deleted: their lines go with them (the foreign key's `on delete cascade`); a
 *   document's id never changes (its lines name it); `truncate billing_document` is refused while
 *   any line exists (truncate the lines first, as the foreign key required).
 */
export class Migration20261201020000_document_line_reference extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "billing_document_line" drop constraint "billing_document_line_document_id_foreign";`);
    this.addSql(`create or replace function "billing_document_line_final_is_final"() returns trigger language plpgsql as $$
declare
  wanted bigint;
  found bigint;
  final boolean;
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
    -- The lines' documents, each once: all must exist, locked as a foreign key's check locks them.
    with "named" as (select distinct "document_id" as "id" from new_rows),
         "locked" as (select d."status" from "billing_document" d where d."id" in (select "id" from "named") for key share)
    select (select count(*) from "named"), count(*), coalesce(bool_or("status" = 'final'), false) into wanted, found, final from "locked";
    if found < wanted then
      raise exception 'insert or update on table "billing_document_line" violates foreign key constraint "billing_document_line_document_id_foreign"'
        using errcode = 'foreign_key_violation', constraint = 'billing_document_line_document_id_foreign',
              detail = format('%s of the %s documents the lines name do not exist', wanted - found, wanted);
    end if;
    if final then
      raise exception 'no line may be added to a final billing document'
        using errcode = 'integrity_constraint_violation', constraint = 'billing_document_line_final_is_final';
    end if;
  end if;
  return null;
end
$$;`);
    this.addSql(`create function "billing_document_lines_follow"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'TRUNCATE' then
    if exists (select 1 from "billing_document_line") then
      raise exception 'billing documents: truncate billing_document_line first (its lines name these documents)'
        using errcode = 'foreign_key_violation', constraint = 'billing_document_line_document_id_foreign';
    end if;
    return null;
  end if;
  if TG_OP = 'DELETE' then
    delete from "billing_document_line" where "document_id" in (select "id" from old_rows);
    return null;
  end if;
  -- UPDATE, called only for a row whose id changes (the trigger's WHEN).
  raise exception 'a billing document''s id never changes (its lines name it)'
    using errcode = 'foreign_key_violation', constraint = 'billing_document_line_document_id_foreign';
end
$$;`);
    this.addSql(
      `create trigger "billing_document_lines_follow_delete" after delete on "billing_document" referencing old table as old_rows for each statement execute function "billing_document_lines_follow"();`,
    );
    // Per row but only where the id changes: the WHEN is evaluated without calling the function, so
    // numbering or totalling 100k documents costs nothing here.
    this.addSql(
      `create trigger "billing_document_lines_follow_update" before update of "id" on "billing_document" for each row when (old."id" is distinct from new."id") execute function "billing_document_lines_follow"();`,
    );
    this.addSql(
      `create trigger "billing_document_lines_follow_truncate" before truncate on "billing_document" for each statement execute function "billing_document_lines_follow"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "billing_document_lines_follow_truncate" on "billing_document";`);
    this.addSql(`drop trigger "billing_document_lines_follow_update" on "billing_document";`);
    this.addSql(`drop trigger "billing_document_lines_follow_delete" on "billing_document";`);
    this.addSql(`drop function "billing_document_lines_follow"();`);
    this.addSql(`create or replace function "billing_document_line_final_is_final"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'TRUNCATE' then
    if exists (select 1 from "billing_document" where "status" = 'final') then
      raise exception 'billing document lines: lines of final documents never change (truncate refused)'
        using errcode = 'integrity_constraint_violation', constraint = 'billing_document_line_final_is_final';
    end if;
    return null;
  end if;
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
      `alter table "billing_document_line" add constraint "billing_document_line_document_id_foreign" foreign key ("document_id") references "billing_document" ("id") on update cascade on delete cascade;`,
    );
  }
}
