import { findRepoRoot } from '@wholesail/devstack';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real migrate and seed commands against `databaseUrl`, in child processes: MikroORM must not
 * be initialised in Jest's parent process (its metadata would clash with the test realm's), where the global setup calls this.
 */
export function migrateAndSeed(databaseUrl: string, env: Record<string, string> = {}): void {
  for (const command of ['migrate', 'seed']) {
    const script = join(findRepoRoot(), 'dist/libs/persistence/src/cli', `${command}.js`);
    if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build" first (npm test does)`);
    execFileSync(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: databaseUrl, BCRYPT_COST: '10', ...env },
      stdio: process.env.STACK_VERBOSE ? 'inherit' : 'pipe',
    });
  }
}
