import { Migration } from '@mikro-orm/migrations';

/**
 * The usage freeze stamps `freeze_period`/`frozen_at` on every row it takes (1M resource events at
 * the size). That update can be HOT (heap-only: the new row version stays on its page and
 * no index gets an entry) only when no btree index names the stamped columns, key or predicate,
 * and the page has room for the new version: so the partial "unfrozen" btree indexes go, a BRIN
 * index on `freeze_period` (a summarizing index, which does not stop HOT updates) lets the freeze
 * skip the ranges of pages already frozen, and the tables keep 55 % of each page free for the
 * stamped versions (a stamped row is 16 bytes longer than the unstamped one).
 */
export class Migration20261130235841_usage_freeze_hot extends Migration {
  override async up(): Promise<void> {
    for (const table of ['resource_event', 'usage_line']) {
      this.addSql(`drop index if exists "${table}_unfrozen_idx";`);
      this.addSql(`create index "${table}_freeze_period_brin" on "${table}" using brin ("freeze_period") with (pages_per_range = 16);`);
      this.addSql(`alter table "${table}" set (fillfactor = 45);`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['resource_event', 'usage_line']) {
      this.addSql(`alter table "${table}" reset (fillfactor);`);
      this.addSql(`drop index if exists "${table}_freeze_period_brin";`);
      this.addSql(`create index "${table}_unfrozen_idx" on "${table}" ("received_at") where "freeze_period" is null;`);
    }
  }
}
