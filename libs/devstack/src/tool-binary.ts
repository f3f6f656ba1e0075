import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Finds a command-line tool the way scripts/ensure-tools.sh and scripts/ensure-go-tool.sh do:
 * `env[envVar]` (an explicit path, which must work), `name` on PATH, where `go install` puts it
 * ($GOBIN or $(go env GOPATH)/bin, ~/go/bin without Go), then `extraDirs`. Returns undefined when
 * none is executable.
 */
export function resolveToolBinary(
  name: string,
  envVar: string,
  env: NodeJS.ProcessEnv = process.env,
  extraDirs: () => string[] = () => [],
): string | undefined {
  const explicit = env[envVar]?.trim();
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`${envVar}=${explicit} is not an executable file`);
  }
  // Lazily, so `go env` only runs when the tool is not on PATH.
  const directories = [() => (env.PATH ?? '').split(delimiter).filter(Boolean), () => goBinDirs(env), extraDirs];
  for (const list of directories) {
    const found = list()
      .map((dir) => join(dir, name))
      .find(isExecutable);
    if (found) return found;
  }
  return undefined;
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
