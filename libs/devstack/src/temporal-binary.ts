import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findRepoRoot } from './repo-root';

/**
 * Finds the Temporal CLI (which embeds the dev server), in the same order as
 * scripts/ensure-tools.sh: $TEMPORAL_CLI_PATH, `temporal` on PATH, where `go install` puts it
 * ($GOBIN or $(go env GOPATH)/bin, ~/go/bin without Go), then <repo>/.dev/bin/temporal.
 * Returns undefined when none is executable.
 */
export function resolveTemporalBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_CLI_PATH?.trim();
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
  }
  // Lazily, so `go env` only runs when the CLI is not on PATH.
  const directories = [() => (env.PATH ?? '').split(delimiter).filter(Boolean), () => goBinDirs(env), repoBinDir];
  for (const list of directories) {
    const found = list()
      .map((dir) => join(dir, 'temporal'))
      .find(isExecutable);
    if (found) return found;
  }
  return undefined;
}

/** Where scripts/ensure-tools.sh links a CLI it had to fetch itself. */
function repoBinDir(): string[] {
  try {
    return [join(findRepoRoot(), '.dev', 'bin')];
  } catch {
    return []; // Running from outside a checkout.
  }
}

function goBinDirs(env: NodeJS.ProcessEnv): string[] {
  const defaultGopath = join(env.HOME || homedir(), 'go');
  const go = spawnSync('go', ['env', 'GOBIN', 'GOPATH'], { env, encoding: 'utf8', timeout: 10_000 });
  if (go.status !== 0 || !go.stdout) return [join(defaultGopath, 'bin')];
  const [gobin, gopath] = go.stdout.split('\n').map((line) => line.trim());
  // GOPATH may be a list; `go install` uses the first entry.
  const firstGopath = gopath?.split(delimiter)[0] || defaultGopath;
  return gobin ? [gobin, join(firstGopath, 'bin')] : [join(firstGopath, 'bin')];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
