import './register-paths';
import { startStack } from '@wholesail/devstack';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { migrateAndSeed } from './migrate-and-seed';
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

  migrateAndSeed(stack.databaseUrl, vcsimEnv(stack.vsphere));

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
