import { runCli } from './run-cli';

/** `npm run migrate`: applies pending migrations in one transaction. A separate step, never at boot. */
runCli('migrate', async (orm) => {
  const migrator = orm.getMigrator();
  const pending = await migrator.getPendingMigrations();
  if (pending.length === 0) {
    console.log('migrate: database is up to date');
    return;
  }
  await migrator.up();
  console.log(`migrate: applied ${pending.map((m) => m.name).join(', ')}`);
});
