import { join } from 'node:path';
import { runCli } from './run-cli';

/**
 * `npm run migration:create`: diffs the entities against the database and writes a TypeScript
 * migration into libs/persistence/src/migrations (add it to migrations/index.ts, then commit).
 */
runCli('migration:create', async (orm) => {
  const sourceDir = join(__dirname, '../../../../../libs/persistence/src/migrations');
  const initial = process.argv.includes('--initial');
  const result = await orm.getMigrator().createMigration(sourceDir, false, initial);
  if (!result.fileName) {
    console.log('migration:create: no changes');
    return;
  }
  console.log(`migration:create: wrote ${join(sourceDir, result.fileName)}`);
  console.log(result.diff.up.join('\n'));
});
