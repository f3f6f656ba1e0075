import { Migration } from '@mikro-orm/migrations';

/**
 * Party uniqueness as constraints, so that the database decides between concurrent creations: a
 * partner's (any non-client's) name, case-insensitively, and tax ID among partners; a client's name,
 * case-insensitively, and tax ID among the clients of its reseller (`party_code_unique` exists).
 * Libs/parties maps each index name to the field it protects. Existing duplicates make this
 * migration fail naming the duplicated key: rename or merge those parties, then migrate again.
 */
export class Migration20261130143712_party_uniqueness extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unique index "party_partner_name_unique" on "party" (lower("name")) where "kind" <> 'client';`);
    this.addSql(`create unique index "party_partner_tax_id_unique" on "party" ("tax_id") where "kind" <> 'client';`);
    this.addSql(`create unique index "party_client_name_unique" on "party" ("parent_id", lower("name")) where "kind" = 'client';`);
    this.addSql(`create unique index "party_client_tax_id_unique" on "party" ("parent_id", "tax_id") where "kind" = 'client';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "party_partner_name_unique";`);
    this.addSql(`drop index "party_partner_tax_id_unique";`);
    this.addSql(`drop index "party_client_name_unique";`);
    this.addSql(`drop index "party_client_tax_id_unique";`);
  }
}
