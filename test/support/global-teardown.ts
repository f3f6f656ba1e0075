import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __wholesailStack?: { stop(): Promise<void> } };
  const stack = g.__wholesailStack;
  g.__wholesailStack = undefined;
  if (stack) await stack.stop();
  if (process.env.WHOLESAIL_TEST_STACK_FILE) rmSync(process.env.WHOLESAIL_TEST_STACK_FILE, { force: true });
}
