import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Where devstack components report progress and noteworthy output, one line per call. */
export type Logger = (message: string) => void;

/** Keeps the last lines a child printed, so a failure can say why the child died. */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly max = 40) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  toString(): string {
    return this.lines.length ? this.lines.join('\n') : '(no output)';
  }
}

/** Calls onLine for each line of a stream (used for child stdout/stderr). */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited (immediately when it already has), false on timeout. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Sends `signal`, waits up to `timeoutMs` for the child to exit, then SIGKILLs it. Children spawned
 * with `detached: true` lead their own process group; the SIGKILL goes to the whole group so no
 * grandchild (e.g. postgres backends) is left behind. Never throws.
 */
export async function terminate(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
  if (await waitForExit(child, timeoutMs)) return;
  killHard(child);
  await waitForExit(child, 5_000);
}

function killHard(child: ChildProcess): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * Safety net for crashes: when this Node process exits without having stopped the child (an
 * uncaught exception, process.exit), signal it synchronously so it does not outlive us; a detached
 * child finishes its graceful shutdown on its own. Returns a function that removes the hook once
 * the child has been stopped properly.
 */
export function signalOnExit(child: ChildProcess, signal: NodeJS.Signals): () => void {
  const hook = (): void => {
    if (hasExited(child)) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', hook);
  return () => process.off('exit', hook);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
