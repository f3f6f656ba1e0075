import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaughtMessage, MailInboxClient } from './mail-inbox';
import { findFreePort } from './ports';
import { forEachLine, hasExited, type Logger, OutputTail, signalOnExit, sleep, terminate } from './processes';
import { findRepoRoot } from './repo-root';

export interface MailCatcherOptions {
  /** Defaults to a free port. */
  smtpPort?: number;
  /** Web inbox and REST API; defaults to a free port. */
  httpPort?: number;
  /** When set, caught mail is kept there (one .eml file each) and shown again after a restart. */
  mailDirectory?: string;
  log: Logger;
}

export interface RunningMailCatcher {
  /** smtp://127.0.0.1:<port>, plain SMTP without authentication. */
  smtpUrl: string;
  /** http://127.0.0.1:<port>: MailDev's web inbox, with its REST API under /api. */
  apiUrl: string;
  /** Resolves with the first caught message (already there or still to come) matching predicate. */
  waitFor(predicate: (message: CaughtMessage) => boolean, timeoutMs?: number): Promise<CaughtMessage>;
  stop(): Promise<void>;
}

/** Enough for any realistic test; keeps a long-running dev inbox from growing without bound. */
const MAX_MESSAGES = 1_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * MailDev (the npm package maildev) as the development mail catcher: an SMTP server
 * that accepts every message and shows it in a web inbox with a REST API, so the app's real mail
 * path can be exercised by hand and in end-to-end tests. It runs as a child process on the
 * project's Node (MailDev is an ES module, which Jest's CommonJS realm cannot load in-process).
 */
export async function startMailCatcher(options: MailCatcherOptions): Promise<RunningMailCatcher> {
  const smtpPort = options.smtpPort ?? (await findFreePort());
  const httpPort = options.httpPort ?? (await findFreePort());
  const directory = options.mailDirectory ?? (await mkdtemp(join(tmpdir(), 'wholesail-mail-')));
  await mkdir(directory, { recursive: true });
  const removeDirectory = options.mailDirectory ? async () => undefined : () => rm(directory, { recursive: true, force: true });

  const bin = join(findRepoRoot(), 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const args = [bin, '--smtp', String(smtpPort), '--web', String(httpPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1'];
  args.push('--mail-directory', directory, '--max-emails', String(MAX_MESSAGES));
  const tail = new OutputTail();
  // Own process group, like the other stack components, so Ctrl-C reaches only the orchestrator.
  // cwd is the mail directory so that no MailDev configuration file elsewhere is picked up.
  const child = spawn(process.execPath, args, { cwd: directory, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const removeExitHook = signalOnExit(child, 'SIGTERM');
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
    tail.push(`spawn error: ${error.message}`);
  });
  forEachLine(child.stdout, (line) => tail.push(line));
  forEachLine(child.stderr, (line) => tail.push(line));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await terminate(child, 'SIGTERM', STOP_TIMEOUT_MS);
      removeExitHook();
      await removeDirectory();
    })());

  const apiUrl = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntilReady(apiUrl, () => {
      if (spawnError || hasExited(child)) {
        const how = spawnError ? spawnError.message : `code ${child.exitCode}, signal ${child.signalCode}`;
        throw new Error(`MailDev exited during startup (${how}):\n${tail}`);
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const inbox = new MailInboxClient(apiUrl);
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    apiUrl,
    waitFor: (predicate, timeoutMs) => inbox.waitFor(predicate, timeoutMs),
    stop,
  };
}

/** MailDev starts its SMTP server before the web server, so a healthy API means both are up. */
async function waitUntilReady(apiUrl: string, assertAlive: () => void): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    assertAlive();
    try {
      const response = await fetch(`${apiUrl}/api/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`MailDev at ${apiUrl} not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}
