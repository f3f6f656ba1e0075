/**
 * `npm start`: the whole product on one machine. Starts PostgreSQL, Temporal and the mail catcher
 * with their data in <repo>/.dev, migrates and seeds the database, then runs the worker and the API
 * from dist/ until Ctrl-C, and prints the banner last, once the API is healthy and the worker
 * polls. Runs compiled (node dist/libs/devstack/src/dev.main.js) after the build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '@wholesail/config';
// The demo users' definition only (not the persistence index, which would load every entity).
import { DEMO_PASSWORD, DEMO_USERS } from '../../persistence/src/seeders/demo-data';
import { renderBanner } from './banner';
import { forEachLine, hasExited, type Logger, signalOnExit, sleep, terminate } from './processes';
import { findRepoRoot } from './repo-root';
import { type Stack, startStack } from './stack';

const CHILD_STOP_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 120_000;
/** TASK_QUEUE_TYPE_WORKFLOW of Temporal's TaskQueueType enum. */
const WORKFLOW_TASK_QUEUE = 1;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const log: Logger = (message) => console.log(`${paint(2, '[dev]')} ${message}`);

class DevRunner {
  private readonly repo = findRepoRoot();
  private readonly children = new Map<string, ChildProcess>();
  private stack?: Promise<Stack>;
  private stopping?: Promise<void>;

  private readonly scripts = {
    migrate: this.dist('libs/persistence/src/cli/migrate.js'),
    seed: this.dist('libs/persistence/src/cli/seed.js'),
    worker: this.dist('apps/worker/src/main.js'),
    api: this.dist('apps/api/src/main.js'),
    portal: join(this.repo, 'apps/portal/dev-server.mjs'),
  };

  async run(): Promise<void> {
    const missing = Object.values(this.scripts).filter((file) => !existsSync(file));
    if (missing.length > 0) {
      throw new Error(
        `The build output is incomplete; missing:\n  ${missing.map((file) => relative(this.repo, file)).join('\n  ')}\n` + 'Run `npm run build` and try again.',
      );
    }
    const port = Number(process.env.PORT ?? 3000);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a TCP port`);
    const portalPort = Number(process.env.PORTAL_PORT ?? 5173);
    if (!Number.isInteger(portalPort) || portalPort < 1 || portalPort > 65535) throw new Error(`PORTAL_PORT=${process.env.PORTAL_PORT} is not a TCP port`);

    const started = Date.now();
    log('starting PostgreSQL, Temporal, the mail catcher and vcsim (data in .dev/)');
    this.stack = startStack({ dataDir: join(this.repo, '.dev'), persistent: true, log, env: process.env });
    const stack = await this.stack;
    log(`infrastructure up in ${seconds(started)}`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // House rule: processes run in UTC; billing code converts to the operator's zone explicitly.
      TZ: process.env.TZ ?? 'UTC',
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SMTP_URL: stack.smtpUrl,
      ...(stack.mailApiUrl ? { MAIL_API_URL: stack.mailApiUrl } : {}),
      // The seed registers the simulator as the demo vSphere host.
      ...(stack.vsphere ? { VCSIM_URL: stack.vsphere.url, VCSIM_USERNAME: stack.vsphere.username, VCSIM_PASSWORD: stack.vsphere.password } : {}),
      PORT: String(port),
    };

    const { temporal } = loadConfig(env);

    await this.runToCompletion('migrate', this.scripts.migrate, env);
    await this.runToCompletion('seed', this.scripts.seed, env);

    this.startService('worker', this.scripts.worker, env, 35);
    this.startService('api', this.scripts.api, env, 36);
    this.startService(
      'portal',
      this.scripts.portal,
      { ...env, PORTAL_PORT: String(portalPort), PORTAL_API_URL: `http://127.0.0.1:${port}`, PORTAL_VITE_LOG: 'warn' },
      33,
    );
    // Both have logged all they say at start-up by then, so the banner stays the last thing shown.
    await Promise.all([this.waitForHealth(port), this.waitForWorker(stack.temporalAddress, temporal.namespace, temporal.taskQueue)]);
    this.printBanner(port, stack, started, portalPort);
  }

  /**
   * Stops the API and worker first (they may still be finishing requests and activities), then the
   * stack, and exits. Safe to call repeatedly; later calls share the first shutdown.
   */
  shutdown(exitCode: number): Promise<void> {
    return (this.stopping ??= (async () => {
      const anythingStarted = this.stack !== undefined;
      if (anythingStarted) log('stopping ...');
      await Promise.all([...this.children.values()].map((child) => terminate(child, 'SIGTERM', CHILD_STOP_TIMEOUT_MS)));
      // Waits for a stack that is still starting, so nothing it starts is left behind.
      const stack = await this.stack?.catch(() => undefined);
      await stack?.stop();
      if (anythingStarted) log(exitCode === 0 ? 'stopped' : `stopped (exit code ${exitCode})`);
      process.exit(exitCode);
    })());
  }

  /** A second Ctrl-C while stopping: do not wait for graceful shutdowns any longer. */
  forceKillChildren(): void {
    for (const child of this.children.values()) {
      if (child.pid === undefined || hasExited(child)) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  private dist(path: string): string {
    return join(this.repo, 'dist', path);
  }

  /**
   * Children get their own process group (detached), so a terminal Ctrl-C reaches only this
   * orchestrator, which then stops them in order. signalOnExit covers the case where we crash.
   */
  private spawnNode(name: string, script: string, env: NodeJS.ProcessEnv, pipe: boolean): ChildProcess {
    const child = spawn(process.execPath, [script], {
      cwd: this.repo,
      env,
      detached: true,
      stdio: ['ignore', pipe ? 'pipe' : 'inherit', pipe ? 'pipe' : 'inherit'],
    });
    this.children.set(name, child);
    const removeHook = signalOnExit(child, 'SIGTERM');
    child.once('exit', () => {
      removeHook();
      this.children.delete(name);
    });
    return child;
  }

  /** migrate and seed: output straight through. */
  private async runToCompletion(name: string, script: string, env: NodeJS.ProcessEnv): Promise<void> {
    if (this.isStopping) return;
    const started = Date.now();
    const child = this.spawnNode(name, script, env, false);
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (error) => {
        log(`${name}: ${error.message}`);
        resolve({ code: 1, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (this.isStopping) return;
    if (result.code !== 0) throw new Error(`${name} failed (${result.signal ? `signal ${result.signal}` : `exit code ${result.code}`})`);
    log(`${name} done in ${seconds(started)}`);
  }

  /** worker and api: long-running, each output line prefixed with the service name. */
  private startService(name: string, script: string, env: NodeJS.ProcessEnv, colorCode: number): void {
    if (this.isStopping) return;
    const child = this.spawnNode(name, script, env, true);
    const prefix = paint(colorCode, `[${name}]`);
    forEachLine(child.stdout, (line) => process.stdout.write(`${prefix} ${line}\n`));
    forEachLine(child.stderr, (line) => process.stderr.write(`${prefix} ${line}\n`));
    child.once('error', (error) => {
      log(`${name} could not be started: ${error.message}`);
      void this.shutdown(1);
    });
    child.once('exit', (code, signal) => {
      if (this.isStopping) return;
      log(`${name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); stopping everything`);
      void this.shutdown(1);
    });
  }

  private async waitForHealth(port: number): Promise<void> {
    const url = `http://127.0.0.1:${port}/health`;
    await this.poll(`The API did not answer ${url} with 200`, async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return response.status === 200;
    });
  }

  /** Until a worker polls the task queue: Temporal lists it among the queue's pollers. */
  private async waitForWorker(address: string, namespace: string, taskQueue: string): Promise<void> {
    const connection = await Connection.connect({ address });
    try {
      await this.poll(`No worker polled task queue "${taskQueue}"`, async () => {
        const request = { namespace, taskQueue: { name: taskQueue }, taskQueueType: WORKFLOW_TASK_QUEUE };
        const { pollers } = await connection.workflowService.describeTaskQueue(request);
        return pollers.length > 0;
      });
    } finally {
      await connection.close();
    }
  }

  private async poll(failure: string, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!this.isStopping) {
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${failure} within ${READY_TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
  }

  private printBanner(port: number, stack: Stack, started: number, portalPort: number): void {
    if (this.isStopping) return;
    // One sign-in for each role; the README lists them all.
    const firstOfRole = DEMO_USERS.filter((user, index) => DEMO_USERS.findIndex((other) => other.roles[0] === user.roles[0]) === index);
    const banner = renderBanner(
      {
        readySeconds: (Date.now() - started) / 1000,
        apiUrl: `http://localhost:${port}`,
        temporalUiUrl: stack.temporalUiUrl,
        mailInboxUrl: stack.mailApiUrl,
        vsphereUrl: stack.vsphere?.url,
        // The portal's dev server (the API also serves the built portal under /portal/).
        portalUrl: `http://localhost:${portalPort}/portal/`,
        databaseUrl: stack.databaseUrl,
        signIns: firstOfRole.map((user) => ({ email: user.email, role: user.roles.join(', '), password: DEMO_PASSWORD })),
        moreUsers: DEMO_USERS.length - firstOfRole.length,
      },
      paint,
    );
    console.log(banner);
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function main(): void {
  const runner = new DevRunner();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (runner.isStopping) {
        log('stopping immediately');
        runner.forceKillChildren();
      } else {
        void runner.shutdown(0);
      }
    });
  }
  runner.run().catch((error: Error) => {
    console.error(`${paint(31, '[dev] error:')} ${error.message}`);
    void runner.shutdown(1);
  });
}

main();
