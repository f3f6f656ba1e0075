/**
 * Provisioning throughput beside a floor measured in the same run.
 *
 * Starts PostgreSQL, Temporal and vcsim (the dev stack on free ports), migrates and seeds, registers
 * a vSphere host on vcsim with a template of its own, runs the real worker process
 * (dist/apps/worker, the prebuilt workflow bundle) and then provisions N designs at once — each
 * two VMs on one network: claim, place, network, two clones, two power-ons, usage, as the workflow
 * does it — and waits for all N. The floor is N no-op workflows started at once on the same
 * Temporal server (a bench-only worker in this process). Prints designs per minute, the no-op
 * workflows per minute and the ratio, and each design's time from start to running (p50, p95).
 * Asserts nothing.
 *
 * Run: `npm run build && npm run bench:provisioning`. Tunables: BENCH_DESIGNS (20).
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { SecretBox } from '@wholesail/auth';
import { provisioningWorkflowId, type ProvisioningPlan } from '@wholesail/contracts';
import { findRepoRoot, startStack } from '@wholesail/devstack';
import { HostRegistryService, VsphereDriver } from '@wholesail/hypervisors';
import { ormConfig, Party } from '@wholesail/persistence';
import { startProvisioning } from '@wholesail/provisioning';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable } from '../print-table';

const DESIGNS = Number(process.env.BENCH_DESIGNS ?? 20);
const WARM_UP = 2;
const SECRETS_KEY = 'bench-secrets-key-that-is-long-enough-for-production';
const TASK_QUEUE = 'bench-provisioning';
const NOOP_QUEUE = 'bench-noop';

interface Round {
  seconds: number;
  perMinute: number;
  p50: number;
  p95: number;
  failed: number;
}

async function main(): Promise<void> {
  const repo = findRepoRoot();
  Runtime.install({ logger: new DefaultLogger('ERROR') }); // the no-op worker polls no activities, and says so at WARN
  const stack = await startStack({ dataDir: tmpdir(), persistent: false, env: {}, log: () => undefined });
  const children: ChildProcess[] = [];
  let orm: MikroORM | undefined;
  try {
    if (!stack.vsphere) throw new Error('vcsim is not installed: run `bash scripts/ensure-go-tool.sh vcsim github.com/vmware/govmomi/vcsim@v0.46.3`');
    const env = {
      ...process.env,
      TZ: 'UTC',
      NODE_ENV: 'production',
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SMTP_URL: stack.smtpUrl,
      JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-production',
      SECRETS_KEY,
      BCRYPT_COST: '10',
    };
    for (const command of ['migrate', 'seed'])
      execFileSync(process.execPath, [join(repo, 'dist/libs/persistence/src/cli', `${command}.js`)], { env, stdio: 'pipe' });

    // A host of its own on vcsim: room for every design, and a fresh template (vcsim's clones share their template's disk).
    const vc = stack.vsphere;
    const template = 'tpl-bench';
    const fixture = new VsphereDriver({
      sdkUrl: vc.url,
      username: vc.username,
      password: vc.password,
      insecure: true,
      datacenter: 'DC0',
      cluster: 'DC0_C0',
      datastore: 'LocalDS_0',
      network: 'DVS0',
    });
    await fixture.ensureTemplate({ name: template, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
    await fixture.close();
    orm = await MikroORM.init(ormConfig(stack.databaseUrl, { pool: { min: 0, max: 2 } }));
    await new HostRegistryService(orm.em.fork(), new SecretBox(SECRETS_KEY)).create({
      name: 'vcsim-bench',
      kind: 'vsphere',
      sdkUrl: vc.url,
      username: vc.username,
      password: vc.password,
      insecureTls: true,
      datacenter: 'DC0',
      cluster: 'DC0_C0',
      datastore: 'LocalDS_0',
      network: 'DVS0',
      capacity: { vcpu: 100_000, ramGb: 100_000, storageGb: 100_000 },
      tags: ['bench'],
      templates: { 'VM-LINUX': template },
    });
    const client = await orm.em.fork().findOneOrFail(Party, { code: 'client-umbrella' }, { populate: ['parent'] });
    const parties = { clientId: client.id, resellerId: (client.parent as Party).id };

    children.push(await startWorker(join(repo, 'dist/apps/worker/src/main.js'), { ...env, TEMPORAL_TASK_QUEUE: TASK_QUEUE, LOG_LEVEL: 'log' }));
    const connection = await NativeConnection.connect({ address: stack.temporalAddress });
    const noopWorker = await Worker.create({
      connection,
      taskQueue: NOOP_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: join(__dirname, 'noop.workflow.js'), logger: quiet }),
    });
    const temporal = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });

    await noopWorker.runUntil(async () => {
      // Warm-up: JIT, pools, caches, the worker's sticky cache.
      await provisionAll(
        temporal,
        Array.from({ length: WARM_UP }, () => plan(parties)),
      );
      await noopAll(temporal, WARM_UP * 5);

      const floor = await noopAll(temporal, DESIGNS);
      const provisioning = await provisionAll(
        temporal,
        Array.from({ length: DESIGNS }, () => plan(parties)),
      );

      console.log(`Provisioning benchmark: ${DESIGNS} designs at once (2 VMs on 1 network each) on vcsim; the floor: ${DESIGNS} no-op workflows\n`);
      printTable(
        ['workflow', 'count', 'seconds', 'per minute', 'p50 s', 'p95 s', 'failed'],
        [
          ['no-op (floor)', String(DESIGNS), ...figures(floor)],
          ['provisionSolution', String(DESIGNS), ...figures(provisioning)],
        ],
      );
      console.log(
        `\nprovisioning / no-op throughput: ${(provisioning.perMinute / floor.perMinute).toFixed(3)} (${provisioning.perMinute.toFixed(1)} designs/min vs ${floor.perMinute.toFixed(0)} no-op workflows/min)`,
      );
    });
    await connection.close();
    await temporal.connection.close();
  } finally {
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))),
    );
    await orm?.close(true);
    await stack.stop();
  }
}

/** A design of two 1-vCPU, 1 GB VMs on one network, billed per SKU. */
function plan(parties: { clientId: string; resellerId: string }): ProvisioningPlan {
  const vm = (key: string) => ({
    key,
    name: key,
    template: 'VM-LINUX',
    vcpus: 1,
    ramGb: 1,
    diskGb: 1,
    networks: ['lan'],
    billing: [
      { sku: 'VM-LINUX', quantity: '1' },
      { sku: 'VCPU', quantity: '1' },
      { sku: 'RAM-GB', quantity: '1' },
      { sku: 'STORAGE-SSD-GB', quantity: '1' },
    ],
  });
  return {
    solutionId: randomUUID(),
    ...parties,
    designVersionId: randomUUID(),
    placement: { tags: ['bench'] },
    networks: [{ key: 'lan', name: 'LAN', cidr: '10.0.0.0/24' }],
    vms: [vm('web'), vm('db')],
    volumes: [],
    publicIps: [],
  };
}

async function provisionAll(temporal: Client, plans: ProvisioningPlan[]): Promise<Round> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    plans.map(async (p) => {
      await startProvisioning(temporal, TASK_QUEUE, p, 'bench');
      await temporal.workflow.getHandle(provisioningWorkflowId(p.solutionId, p.designVersionId)).result();
      return performance.now() - started;
    }),
  );
  return round(started, outcomes);
}

async function noopAll(temporal: Client, count: number): Promise<Round> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      await temporal.workflow.execute('noop', { taskQueue: NOOP_QUEUE, workflowId: `noop:${randomUUID()}` });
      return performance.now() - started;
    }),
  );
  return round(started, outcomes);
}

function round(started: number, outcomes: PromiseSettledResult<number>[]): Round {
  const seconds = (performance.now() - started) / 1000;
  const times = outcomes
    .filter((o): o is PromiseFulfilledResult<number> => o.status === 'fulfilled')
    .map((o) => o.value / 1000)
    .sort((a, b) => a - b);
  const failed = outcomes.length - times.length;
  for (const outcome of outcomes) if (outcome.status === 'rejected') console.error('failed:', (outcome.reason as Error).message);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { seconds, perMinute: (times.length / seconds) * 60, p50: at(0.5), p95: at(0.95), failed };
}

function figures(r: Round): string[] {
  return [r.seconds.toFixed(2), r.perMinute.toFixed(1), r.p50.toFixed(2), r.p95.toFixed(2), String(r.failed)];
}

function startWorker(script: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = fork(script, [], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('polling task queue')) resolve(child);
    });
  });
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
