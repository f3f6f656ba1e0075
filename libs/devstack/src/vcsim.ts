import { spawn } from 'node:child_process';
import { forEachLine, type Logger, OutputTail, signalOnExit, terminate } from './processes';
import { resolveToolBinary } from './tool-binary';

/** Credentials the local simulator requires (it refuses others, as a real vCenter would). */
export const VCSIM_USERNAME = 'wholesail';
export const VCSIM_PASSWORD = 'wholesail-vcsim';

export interface VcsimOptions {
  /** The vcsim binary, see resolveVcsimBinary(). */
  binary: string;
  /** Port of the SDK endpoint; defaults to a free one chosen by vcsim itself (no race). */
  port?: number;
  username?: string;
  password?: string;
  log: Logger;
}

/** A vCenter simulator: 1 datacenter (DC0), 1 cluster of 3 hosts (DC0_C0), a distributed switch (DC0_DVS), datastore LocalDS_0. */
export interface RunningVcsim {
  /** https://127.0.0.1:<port>/sdk, TLS with a self-signed certificate. */
  url: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** $VCSIM_PATH, `vcsim` on PATH, or where `go install` put it (scripts/ensure-go-tool.sh installs it). */
export function resolveVcsimBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return resolveToolBinary('vcsim', 'VCSIM_PATH', env);
}

/** govc, vSphere's CLI, which tests use to look at vcsim's inventory independently of our client. */
export function resolveGovcBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return resolveToolBinary('govc', 'GOVC_PATH', env);
}

/**
 * Runs vcsim (the govmomi vCenter simulator, in memory) and resolves once it has printed the URL it
 * serves, which it does after it listens. `-stdinexit` makes it exit when our end of its stdin
 * closes, so it never outlives this process even after a crash.
 */
export async function startVcsim(options: VcsimOptions): Promise<RunningVcsim> {
  const username = options.username ?? VCSIM_USERNAME;
  const password = options.password ?? VCSIM_PASSWORD;
  const args = ['-l', `127.0.0.1:${options.port ?? 0}`, '-username', username, '-password', password, '-E', '-', '-stdinexit'];
  const tail = new OutputTail();
  const child = spawn(options.binary, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const removeExitHook = signalOnExit(child, 'SIGTERM');
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await terminate(child, 'SIGTERM', STOP_TIMEOUT_MS);
      child.stdin?.destroy();
      removeExitHook();
    })());

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`vcsim did not report its URL within ${READY_TIMEOUT_MS / 1000} s:\n${tail}`)), READY_TIMEOUT_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    child.once('error', (error) => fail(new Error(`vcsim (${options.binary}) could not be started: ${error.message}`)));
    child.once('exit', (code, signal) => fail(new Error(`vcsim exited during startup (code ${code}, signal ${signal}):\n${tail}`)));
    forEachLine(child.stderr, (line) => tail.push(line));
    forEachLine(child.stdout, (line) => {
      tail.push(line);
      const match = /GOVC_URL=(\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      // The printed URL carries the credentials; the SDK URL we hand out does not.
      const printed = new URL(match[1]);
      resolve(`${printed.protocol}//${printed.host}${printed.pathname}`);
    });
  }).catch(async (error: Error) => {
    await stop();
    throw error;
  });
  child.once('exit', (code, signal) => {
    if (!stopping) options.log(`vcsim exited unexpectedly (code ${code}, signal ${signal})`);
  });
  return { url, username, password, stop };
}
