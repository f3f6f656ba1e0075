import './register-paths';
import { findRepoRoot, startStack } from '@wholesail/devstack';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { newStackFilePath, type TestStack } from './stack';

/**
 * Starts real PostgreSQL, Temporal and an SMTP catcher on free ports once for the integration and
 * e2e projects (Jest calls each project's global setup; the second call finds the first stack),
 * migrates and seeds the database, and writes the addresses to a file the test workers read.
 */
export default async function globalSetup(): Promise<void> {
  const g = globalThis as { __wholesailStack?: { stop(): Promise<void> } };
  if (g.__wholesailStack) return;
  const started = Date.now();
  const stack = await startStack({
    dataDir: tmpdir(),
    persistent: false,
    env: process.env,
    log: (line: string) => process.env.STACK_VERBOSE && console.log(`[stack] ${line}`),
  });
  g.__wholesailStack = stack;

  // The real migrate and seed commands, in child processes: MikroORM must not be initialised in
  // Jest's parent process (its metadata would clash with the test realm's).
  for (const command of ['migrate', 'seed']) {
    const script = join(findRepoRoot(), 'dist/libs/persistence/src/cli', `${command}.js`);
    if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build" first (npm test does)`);
    execFileSync(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: stack.databaseUrl, BCRYPT_COST: '10', ...vcsimEnv(stack.vsphere) },
      stdio: process.env.STACK_VERBOSE ? 'inherit' : 'pipe',
    });
  }

  const info: TestStack = {
    databaseUrl: stack.databaseUrl,
    temporalAddress: stack.temporalAddress,
    smtpUrl: stack.smtpUrl,
    mailApiUrl: stack.mailApiUrl ?? '',
    vsphere: stack.vsphere,
  };
  const file = newStackFilePath();
  writeFileSync(file, JSON.stringify(info));
  process.env.WHOLESAIL_TEST_STACK_FILE = file;
  console.log(
    `\n[stack] PostgreSQL, Temporal, SMTP${stack.vsphere ? ' and vcsim' : ''} up, migrated and seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** The seed registers the stack's simulator as the demo vSphere host. */
function vcsimEnv(vsphere: TestStack['vsphere']): Record<string, string> {
  return vsphere ? { VCSIM_URL: vsphere.url, VCSIM_USERNAME: vsphere.username, VCSIM_PASSWORD: vsphere.password } : {};
}
