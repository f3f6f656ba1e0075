import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { findFreePort } from './ports';
import { forEachLine, hasExited, type Logger, OutputTail, signalOnExit, sleep, terminate } from './processes';

export interface TemporalOptions {
  /** The Temporal CLI, see resolveTemporalBinary(). */
  binary: string;
  /** SQLite file that keeps workflows across restarts; omitted means in-memory (tests). */
  dbFile?: string;
  /** gRPC frontend port; defaults to a free port. */
  port?: number;
  /** Web UI port; defaults to a free port. */
  uiPort?: number;
  log: Logger;
}

export interface RunningTemporal {
  /** host:port of the gRPC frontend, as Connection.connect({ address }) wants it. */
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** Start attempts when a port turned out taken (another process bound it after we picked it). */
const PORT_ATTEMPTS = 3;

/**
 * Runs `temporal server start-dev` and resolves once the `default` namespace answers. Ports left to
 * it are free when picked, but another process may bind one before the server does (the dev server
 * also picks its HTTP API and metrics ports itself): such a start is retried (on fresh ports where
 * they are ours to pick).
 */
export async function startTemporal(options: TemporalOptions): Promise<RunningTemporal> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTemporalOnce(options);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !/address already in use/.test(String(error))) throw error;
      options.log(`temporal: a port was taken during startup, starting again (attempt ${attempt + 1} of ${PORT_ATTEMPTS})`);
    }
  }
}

async function startTemporalOnce(options: TemporalOptions): Promise<RunningTemporal> {
  const { binary, dbFile, log } = options;
  const port = options.port ?? (await findFreePort());
  const uiPort = options.uiPort ?? (await findFreePort());
  if (dbFile) await mkdir(dirname(dbFile), { recursive: true });

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  if (dbFile) args.push('--db-filename', dbFile);
  args.push('--log-level', 'warn', '--color', 'never');

  const tail = new OutputTail();
  // Own process group, so a terminal Ctrl-C reaches only our orchestrator, which stops the worker
  // first and Temporal after it.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const removeExitHook = signalOnExit(child, 'SIGTERM');
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
    tail.push(`spawn error: ${error.message}`);
  });
  // stdout carries only the startup banner (addresses we already know); stderr carries the
  // server's warnings and errors. Those are worth seeing while it runs, but during startup and
  // shutdown the dev server reliably logs transient errors ("Frontend is not healthy yet",
  // "context canceled"), so those phases only feed the tail kept for error reports.
  let forwarding = false;
  forEachLine(child.stdout, (line) => tail.push(line));
  forEachLine(child.stderr, (line) => {
    tail.push(line);
    if (forwarding && line.trim()) log(`temporal: ${line}`);
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      forwarding = false;
      await terminate(child, 'SIGTERM', STOP_TIMEOUT_MS);
      removeExitHook();
    })());

  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(address, tail, () => {
      if (spawnError || hasExited(child)) {
        const how = spawnError ? spawnError.message : `code ${child.exitCode}, signal ${child.signalCode}`;
        throw new Error(`Temporal dev server (${binary}) exited during startup (${how}):\n${tail}`);
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  forwarding = true;
  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, stop };
}

async function waitUntilReady(address: string, tail: OutputTail, assertAlive: () => void): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    assertAlive();
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: '2s' });
      // The frontend accepts calls slightly before the default namespace exists; workers and
      // clients need the namespace, so that is what "ready" means.
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Temporal at ${address} not ready after ${READY_TIMEOUT_MS / 1000}s: ${reason}\n${tail}`);
      }
    } finally {
      await connection?.close().catch(() => undefined);
    }
    await sleep(200);
  }
}
