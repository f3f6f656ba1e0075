import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestStack {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  mailApiUrl: string;
  /** The vCenter simulator, when vcsim is installed (npm test installs it). */
  vsphere?: { url: string; username: string; password: string };
}

/**
 * Global setup writes the stack's addresses here and exports the path in the environment, which
 * Jest's worker processes (started after global setup) inherit.
 */
export function stackFilePath(): string {
  const path = process.env.WHOLESAIL_TEST_STACK_FILE;
  if (!path) throw new Error('no test stack: integration and e2e tests need the global setup (run them through Jest projects)');
  return path;
}

export function newStackFilePath(): string {
  return join(tmpdir(), `wholesail-test-stack-${process.pid}-${Date.now()}.json`);
}

export function testStack(): TestStack {
  return JSON.parse(readFileSync(stackFilePath(), 'utf8')) as TestStack;
}

/** Environment for the API and worker under test: the test stack plus a private task queue. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const stack = testStack();
  return {
    NODE_ENV: 'test',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    SMTP_URL: stack.smtpUrl,
    TEMPORAL_TASK_QUEUE: `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-anything',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}
