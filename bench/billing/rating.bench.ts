/**
 * Month-end billing benchmark, rating to drafts: the issue's channel (100k clients, 2,000
 * resellers, 50 distributors, 500 agents, 1M resource events, bench/billing/channel-generator.ts)
 * in a throwaway PostgreSQL, then the run's activities in the workflow's order, in this process as
 * the worker runs them: freeze, rate (pages of BILLING_PAGE_SIZE clients), volumes, cuts, drafts,
 * the ledger check. Beside it a floor measured in the same run: a bare server-side PostgreSQL
 * `COPY ... FROM` of the same output rows (every row the run wrote, dumped to files first) into
 * empty tables of the same shape. Prints figures, the ratio and the peak RSS; asserts only that the
 * ledger check passed. Run: `npm run build && npm run bench:billing-rating`.
 *
 * Knobs for finding where the time goes (the reported figures use none of them):
 * - `BENCH_SCALE=0.1` shrinks clients, resellers, agents and events in proportion (channelSizes);
 * - `BENCH_VERBOSE=1` prints each phase as it ends, with the RSS then and the CPU seconds it took in
 *   this process and in the PostgreSQL server's processes (which of the two cores' work to cut);
 * - `BENCH_WAITS=1` samples the server's connections every 25 ms and prints what they were doing
 *   (on CPU, waiting for this process, for I/O, for a lock), as a share of the samples;
 * - `BENCH_QUERIES=1` logs the run's statements through MikroORM and prints the 25 costliest (the
 *   bulk inserts bind their JSON and bypass that log); add `node --cpu-prof` for the JS side.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import { BillingCheck, BillingCuts, BillingPeriods, BillingRating, BillingRuns } from '@wholesail/billing';
import { loadConfig } from '@wholesail/config';
import { startPostgres } from '@wholesail/devstack';
import { BillingRun, ormConfig } from '@wholesail/persistence';
import { UsageFreezer, UsageReader } from '@wholesail/usage';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { channelSizes, generateChannel } from './channel-generator';

const MiB = 1024 * 1024;
const PERIOD = '2026-10';
/** The tables the run writes (per run id), the floor copies. */
const OUTPUT_TABLES = ['billing_rated_line', 'billing_cut_line', 'billing_ledger_balance', 'billing_document', 'billing_document_line', 'billing_run_page'];

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const dataDir = mkdtempSync(join(tmpdir(), 'wholesail-bench-rating-'));
  const pg = await startPostgres({ dataDir, persistent: false, log: () => undefined });
  let orm: MikroORM | undefined;
  /** The floor's dump files (1.6 GB at the issue's size): removed however the bench ends. */
  let dumps: string | undefined;
  try {
    // BENCH_QUERIES=1: the run's statements, timed and summed by their first words (where the time goes).
    const queries = new Map<string, { count: number; ms: number }>();
    const logQuery = (message: string) => {
      const took = /\[took (\d+) ms/.exec(message);
      if (!took) return;
      const sql = message
        .replace(/^\[query\]\s*/, '')
        .replace(/\s+/g, ' ')
        .slice(0, 140);
      const entry = queries.get(sql) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += Number(took[1]);
      queries.set(sql, entry);
    };
    orm = await MikroORM.init(
      ormConfig(pg.databaseUrl, process.env.BENCH_QUERIES ? { debug: ['query'], colors: false, logger: logQuery } : { logger: () => undefined }),
    );
    await orm.getMigrator().up();
    const scale = Number(process.env.BENCH_SCALE ?? '1');
    const sizes = channelSizes(scale);
    if (scale !== 1) console.log(`BENCH_SCALE=${scale}: ${JSON.stringify(sizes)} (the reported figures use scale 1)`);
    const channel = await generateChannel(pg.databaseUrl, PERIOD, sizes);
    console.log(`channel for ${PERIOD} written in ${channel.seconds.toFixed(1)} s: ${JSON.stringify(channel.counts)}`);
    const config = loadConfig({ ...process.env, DATABASE_URL: pg.databaseUrl, OPERATOR_TIMEZONE: 'UTC', BILLING_FINANCE_EMAIL: 'finance@operator.bench' });
    const pageSize = config.billing.pageSize;
    const runs = new BillingRuns(orm.em, new BillingPeriods(config));
    const rating = new BillingRating(orm.em, config, runs, new UsageReader(orm.em, config));
    const cuts = new BillingCuts(orm.em, config, runs);
    const check = new BillingCheck(orm.em, config, runs);
    const freezer = new UsageFreezer(orm.em, config);
    const em = orm.em.fork();
    const run = em.create(BillingRun, { period: PERIOD, mode: 'run', workflowId: `bench:${PERIOD}`, startedBy: 'bench' });
    await em.flush();
    const runId = run.id;

    global.gc?.();
    // `memoryUsage.rss()` reads only the RSS (`memoryUsage()` walks the heap spaces too: 20 ms apart, that shows in a profile).
    let rssPeak = process.memoryUsage.rss();
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
    const waits = process.env.BENCH_WAITS ? await sampleWaits(pg.databaseUrl) : undefined;
    const phases: Array<[string, number]> = [];
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = process.hrtime.bigint();
      const [nodeCpu, serverCpu] = [process.cpuUsage(), postgresCpuSeconds(dataDir)];
      const result = await work();
      phases.push([name, Number(process.hrtime.bigint() - started) / 1e9]);
      if (process.env.BENCH_VERBOSE) {
        const { user, system } = process.cpuUsage(nodeCpu);
        console.log(
          `  ${name}: ${phases[phases.length - 1][1].toFixed(1)} s, RSS ${Math.round(process.memoryUsage.rss() / MiB)} MiB; CPU: Node ${((user + system) / 1e6).toFixed(1)} s, PostgreSQL ${(postgresCpuSeconds(dataDir) - serverCpu).toFixed(1)} s`,
        );
      }
      return result;
    };
    const started = process.hrtime.bigint();
    await timed('freeze', () => freezer.freeze(PERIOD, 'bench'));
    await runs.startRound(runId, 1);
    let page = 1;
    let clients = 0;
    await timed('rate', async () => {
      for (let cursor: string | null = null; ; page++) {
        const rated = await rating.ratePage({ runId, round: 1, page, afterClientId: cursor, pageSize });
        if (rated.clients === 0) break;
        clients += rated.clients;
        cursor = rated.lastClientId;
      }
    });
    await timed('volumes', () => cuts.computeVolumes(runId, 1));
    await timed('cuts', async () => {
      for (let n = 1; n < page; n++) await cuts.cutPage({ runId, round: 1, page: n });
    });
    await timed('drafts', () => check.finishDrafts(runId, 1));
    const result = await timed('check', () => check.check(runId, 1));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    if (waits) console.log(`what the run's connections were doing (samples every 25 ms): ${await waits()}`);
    if (!result.ok) throw new Error(`the ledger check failed: ${JSON.stringify(result.violations.slice(0, 3))}`);

    if (process.env.BENCH_QUERIES) {
      for (const [sql, { count, ms }] of [...queries].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
        console.log(`${String(ms).padStart(8)} ms ${String(count).padStart(6)}× ${sql}`);
    }

    // The floor: the same rows, dumped, then copied back into empty tables of the same shape.
    const db = orm.em.fork();
    console.log(`phases: ${phases.map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ')}; rating to drafts ${seconds.toFixed(1)} s`);
    const dir = (dumps = mkdtempSync(join(tmpdir(), 'wholesail-bench-copy-')));
    // The server (its own OS user) writes and reads the files.
    chmodSync(dir, 0o777);
    const counts: Record<string, number> = {};
    for (const table of OUTPUT_TABLES) {
      const file = join(dir, `${table}.copy`);
      const filter = table === 'billing_document_line' ? `document_id in (select id from billing_document where run_id = '${runId}')` : `run_id = '${runId}'`;
      await db.execute(`copy (select * from ${table} where ${filter}) to '${file}'`);
      await db.execute(`create table floor_${table} (like ${table} including defaults including constraints including indexes)`);
      const [{ count }]: Array<{ count: string }> = await db.execute(`select count(*) as count from ${table} where ${filter}`);
      counts[table] = Number(count);
    }
    const floorStarted = process.hrtime.bigint();
    for (const table of OUTPUT_TABLES) await db.execute(`copy floor_${table} from '${join(dir, `${table}.copy`)}'`);
    const floor = Number(process.hrtime.bigint() - floorStarted) / 1e9;

    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `rating to drafts, Node ${process.version}: ${clients} clients in ${page - 1} pages of ${pageSize}; ${rows} output rows ${JSON.stringify(counts)}`,
    );
    console.log(`floor, bare COPY of the same ${rows} rows: ${floor.toFixed(1)} s`);
    console.log(
      `rating to drafts: ${seconds.toFixed(1)} s = ${(seconds / floor).toFixed(2)} × the COPY (target ≤ 5×, and under 120 s); peak RSS ${Math.round(rssPeak / MiB)} MiB (target < 1024); ledger check ok; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
  } finally {
    if (dumps) rmSync(dumps, { recursive: true, force: true });
    await orm?.close(true);
    await pg.stop();
  }
}

/**
 * BENCH_WAITS=1: samples what the server's client connections are doing (pg_stat_activity's state
 * and wait event, the sampler's own connection left out) until the returned function is called,
 * which tallies them: where the database waits rather than works.
 */
async function sampleWaits(databaseUrl: string): Promise<() => Promise<string>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const tally = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await db.query<{ what: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' (' || state || ')' as what
           from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      samples++;
      for (const { what } of rows) tally.set(what, (tally.get(what) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await db.end();
    return [...tally]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([what, n]) => `${what} ${((100 * n) / samples).toFixed(0)} %`)
      .join(', ');
  };
}

/** CPU seconds (user + system) of this bench's PostgreSQL server: its postmaster and its children alive now (Linux /proc). */
function postgresCpuSeconds(dataDir: string): number {
  const tick = 100; // USER_HZ
  const processes: Array<{ pid: string; parent: string; seconds: number }> = [];
  let postmaster: string | undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      const isPostmaster = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
      // The postmaster's own time and, once it reaped them, that of its children that ended (a
      // connection closed mid-run keeps counting).
      const reaped = isPostmaster ? Number(fields[13]) + Number(fields[14]) : 0;
      processes.push({ pid, parent: fields[1], seconds: (Number(fields[11]) + Number(fields[12]) + reaped) / tick });
      if (isPostmaster) postmaster = pid;
    } catch {
      // the process ended meanwhile
    }
  }
  return processes.filter((p) => p.pid === postmaster || p.parent === postmaster).reduce((total, p) => total + p.seconds, 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
