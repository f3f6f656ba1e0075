import { Migration } from '@mikro-orm/migrations';

/**
 * A page of a billing run keeps what its cuts need of its rated lines (their cut bases and the
 * invoice lines' ledger sums, by scenario), gathered as they are rated: the cuts read that one
 * document instead of the page's rated lines.
 */
export class Migration20261130235903_rated_page extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "billing_run_page" add column "rated_page" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "billing_run_page" drop column "rated_page";`);
  }
}
