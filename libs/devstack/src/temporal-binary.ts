import { join } from 'node:path';
import { findRepoRoot } from './repo-root';
import { resolveToolBinary } from './tool-binary';

/**
 * Finds the Temporal CLI (which embeds the dev server), in the same order as
 * scripts/ensure-tools.sh: $TEMPORAL_CLI_PATH, `temporal` on PATH, where `go install` puts it
 * ($GOBIN or $(go env GOPATH)/bin, ~/go/bin without Go), then <repo>/.dev/bin/temporal.
 * Returns undefined when none is executable.
 */
export function resolveTemporalBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return resolveToolBinary('temporal', 'TEMPORAL_CLI_PATH', env, repoBinDir);
}

/** Where scripts/ensure-tools.sh links a CLI it had to fetch itself. */
function repoBinDir(): string[] {
  try {
    return [join(findRepoRoot(), '.dev', 'bin')];
  } catch {
    return []; // Running from outside a checkout.
  }
}
