import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124154035 } from './Migration20261124154035';
import { Migration20261124161026 } from './Migration20261124161026';

/** Every migration, oldest first. `npm run migration:create` writes a file here; add it to the list. */
export const MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261124154035', class: Migration20261124154035 }, { name: 'Migration20261124161026', class: Migration20261124161026 }];
