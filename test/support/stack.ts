import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestStack {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  mailApiUrl: string;
}

/** Written by global-setup, one per Jest run (keyed by the parent process id). */
export const STACK_FILE = join(tmpdir(), `wholesail-test-stack-${process.env.JEST_PARENT_PID ?? process.ppid}.json`);

export function testStack(): TestStack {
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as TestStack;
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
