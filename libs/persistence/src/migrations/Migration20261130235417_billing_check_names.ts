import { Migration } from '@mikro-orm/migrations';

/**
 * The billing document's kind, status and series as MikroORM's non-native enums (a text column and
 * its `<table>_<column>_check`), as every other closed list in the schema is: a varchar with a
 * check of that name reads to the schema comparator as an enum, so entities and schema differed.
 */
export class Migration20261130235417_billing_check_names extends Migration {
  override async up(): Promise<void> {
    for (const column of ['kind', 'series', 'status'])
      this.addSql(`alter table "billing_document" alter column "${column}" type text using ("${column}"::text);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "billing_document" alter column "kind" type varchar(20) using ("kind"::varchar(20));`);
    this.addSql(`alter table "billing_document" alter column "series" type varchar(12) using ("series"::varchar(12));`);
    this.addSql(`alter table "billing_document" alter column "status" type varchar(10) using ("status"::varchar(10));`);
  }
}
