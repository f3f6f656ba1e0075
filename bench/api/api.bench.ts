/**
 * API read latency against a floor measured in the same run.
 *
 * Starts PostgreSQL, Temporal and SMTP (the dev stack on free ports), migrates and seeds, adds
 * clients under the demo reseller Acme so a page of 50 is full, then runs the built API
 * (dist/apps/api/src/main.js, NODE_ENV=production) and the floor (bare Fastify + pg doing the same
 * reads, floor-server.ts) as child processes and loads each with autocannon: the same connections,
 * the same duration, one after the other, as the reseller admin of Acme:
 *
 *   list    GET /parties?pageSize=50
 *   single  GET /parties/{Umbrella}
 *
 * Prints req/s, p50 and p99 for both and the ratios API / floor. Asserts nothing.
 * Run: `npm run build && npm run bench:api`. Tunables: BENCH_CONNECTIONS (10), BENCH_SECONDS (10).
 */
import autocannon from 'autocannon';
import { findFreePort, findRepoRoot, startStack } from '@wholesail/devstack';
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const EXTRA_CLIENTS = 300;
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-production-mode';

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function main(): Promise<void> {
  const repo = findRepoRoot();
  const stack = await startStack({ dataDir: tmpdir(), persistent: false, env: {}, log: () => undefined });
  const children: ChildProcess[] = [];
  try {
    const env = {
      ...process.env,
      TZ: 'UTC',
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SMTP_URL: stack.smtpUrl,
      BCRYPT_COST: '10',
    };
    for (const command of ['migrate', 'seed'])
      execFileSync(process.execPath, [join(repo, 'dist/libs/persistence/src/cli', `${command}.js`)], { env, stdio: 'pipe' });
    const umbrellaId = await addClients(stack.databaseUrl);

    const apiPort = await findFreePort();
    const floorPort = await findFreePort();
    const serverEnv = { ...env, NODE_ENV: 'production', JWT_SECRET, LOG_LEVEL: 'warn', DATABASE_POOL_MAX: '10' };
    children.push(await startChild(join(repo, 'dist/apps/api/src/main.js'), { ...serverEnv, PORT: String(apiPort) }, `http://127.0.0.1:${apiPort}/health`));
    children.push(await startChild(join(repo, 'dist/bench/api/floor-server.js'), { ...serverEnv, PORT: String(floorPort) }));

    const login = await fetch(`http://127.0.0.1:${apiPort}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@acme.demo', password: 'wholesail-demo' }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const headers = { authorization: `Bearer ${token}` };

    console.log(`API read benchmark: ${CONNECTIONS} connections, ${SECONDS} s each, as admin@acme.demo (${EXTRA_CLIENTS + 3} parties visible)\n`);
    const rows: string[][] = [];
    for (const [name, path] of [
      ['list', '/parties?pageSize=50'],
      ['single', `/parties/${umbrellaId}`],
    ] as const) {
      await load(`http://127.0.0.1:${apiPort}${path}`, headers, 2); // warm-up: JIT, pools, caches
      await load(`http://127.0.0.1:${floorPort}${path}`, headers, 2);
      const floor = await load(`http://127.0.0.1:${floorPort}${path}`, headers, SECONDS);
      const api = await load(`http://127.0.0.1:${apiPort}${path}`, headers, SECONDS);
      rows.push([name, 'floor (Fastify + pg)', ...format(floor), '']);
      rows.push([
        name,
        'Wholesail API',
        ...format(api),
        `req/s ×${(api.rps / floor.rps).toFixed(2)}, p50 ×${(api.p50 / floor.p50).toFixed(2)}, p99 ×${(api.p99 / floor.p99).toFixed(2)}`,
      ]);
    }
    printTable(['read', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'API / floor'], rows);
    console.log('\nTarget: API p99 within 2× the floor for both reads.');
  } finally {
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))),
    );
    await stack.stop();
  }
}

/** Clients under Acme, written straight to the database, so a page of 50 is full. Returns Umbrella's id. */
async function addClients(databaseUrl: string): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`select id, path, depth from party where code = 'reseller-acme'`);
    const acme = rows[0];
    for (let i = 0; i < EXTRA_CLIENTS; i++) {
      const id = randomUUID();
      await db.query(
        `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email, active_since)
         values ($1, now(), now(), 'client', $2, $3, 'active', $4, $5, $6, $7, now())`,
        [id, `Bench client ${i}`, `bench-client-${i}`, acme.id, `${acme.path}${id}/`, acme.depth + 1, `ap-${i}@bench.test`],
      );
    }
    return (await db.query(`select id from party where code = 'client-umbrella'`)).rows[0].id as string;
  } finally {
    await db.end();
  }
}

function startChild(script: string, env: NodeJS.ProcessEnv, healthUrl?: string): Promise<ChildProcess> {
  // BENCH_PROFILE=<dir>: the API writes a V8 CPU profile there on exit (for finding where time goes).
  const execArgv = process.env.BENCH_PROFILE && healthUrl ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(script, [], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    if (!healthUrl) {
      child.once('message', () => resolve(child));
      return;
    }
    const poll = async () => {
      try {
        if ((await fetch(healthUrl)).ok) return resolve(child);
      } catch {
        // not listening yet
      }
      setTimeout(() => void poll(), 200);
    };
    void poll();
  });
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Figures> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

function format(f: Figures): string[] {
  return [f.rps.toFixed(0), f.p50.toFixed(1), f.p99.toFixed(1), String(f.errors)];
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
