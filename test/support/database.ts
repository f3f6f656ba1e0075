import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { migrateAndSeed } from './migrate-and-seed';
import { testStack } from './stack';

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own on the test stack's server, migrated and seeded, for a test that changes
 * what every other test file relies on (finalising a billing period moves the bound of every
 * versioned write): test files run in parallel on the shared database.
 */
export async function freshDatabase(label: string): Promise<FreshDatabase> {
  const shared = testStack().databaseUrl;
  const name = `wholesail_${label}_${randomUUID().slice(0, 8)}`.replace(/[^a-z0-9_]/g, '_');
  const admin = await MikroORM.init(ormConfig(shared, { pool: { min: 0, max: 1 } }));
  try {
    await admin.em.getConnection().execute(`create database "${name}"`);
  } finally {
    await admin.close(true);
  }
  const url = new URL(shared);
  url.pathname = `/${name}`;
  migrateAndSeed(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const orm = await MikroORM.init(ormConfig(shared, { pool: { min: 0, max: 1 } }));
      try {
        await orm.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      } finally {
        await orm.close(true);
      }
    },
  };
}
