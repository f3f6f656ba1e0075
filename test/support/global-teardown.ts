import { rmSync } from 'node:fs';
import { STACK_FILE } from './stack';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __wholesailStack?: { stop(): Promise<void> } };
  const stack = g.__wholesailStack;
  g.__wholesailStack = undefined;
  if (stack) await stack.stop();
  rmSync(STACK_FILE, { force: true });
}
