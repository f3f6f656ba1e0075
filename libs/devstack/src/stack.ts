import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startMailCatcher } from './mail-catcher';
import { assertPortFree } from './ports';
import { startPostgres } from './postgres';
import type { Logger } from './processes';
import { resolveTemporalBinary } from './temporal-binary';
import { startTemporal } from './temporal';
import { resolveVcsimBinary, startVcsim } from './vcsim';

export interface StackOptions {
  /**
   * persistent: the dev data root (<repo>/.dev), holding postgres/, temporal/temporal.db and
   * mail/ (MailDev's .eml files). Ephemeral: a directory in which a throwaway subdirectory is made and
   * removed again on stop.
   */
  dataDir: string;
  /** true for `npm start` (fixed ports, data kept), false for tests (free ports, nothing kept). */
  persistent: boolean;
  log: Logger;
  /**
   * Read for the overrides DATABASE_URL, TEMPORAL_ADDRESS (+ TEMPORAL_UI_URL), SMTP_URL
   * (+ MAIL_API_URL): a component whose URL is given is not started and the URL is passed through.
   * Persistent mode also reads the ports PG_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT, SMTP_PORT and
   * MAIL_WEB_PORT; TEMPORAL_CLI_PATH picks the Temporal binary. Defaults to process.env.
   * The vSphere simulator (vcsim) starts when its binary is found (VCSIM_PATH, PATH, go's bin) and
   * VCSIM_URL is not set; persistent mode serves it on VCSIM_PORT.
   */
  env?: NodeJS.ProcessEnv;
}

export interface Stack {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  smtpUrl: string;
  mailApiUrl?: string;
  /** A vCenter simulator (vcsim) to use as a demo and test vSphere host; absent when vcsim is not installed. */
  vsphere?: { url: string; username: string; password: string };
  /** Stops what this stack started, in reverse order. Never throws; safe to call twice. */
  stop(): Promise<void>;
}

/** Fixed dev-mode ports, so bookmarks and external tools keep working across runs. */
const DEV_PORTS = {
  postgres: { env: 'PG_PORT', port: 54329 },
  temporal: { env: 'TEMPORAL_PORT', port: 7233 },
  temporalUi: { env: 'TEMPORAL_UI_PORT', port: 8233 },
  smtp: { env: 'SMTP_PORT', port: 1025 },
  mailWeb: { env: 'MAIL_WEB_PORT', port: 8025 },
  vcsim: { env: 'VCSIM_PORT', port: 8989 },
} as const;
type PortName = keyof typeof DEV_PORTS;

/** Starts PostgreSQL, the Temporal dev server and the mail catcher in parallel. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { persistent, log } = options;
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir);
  const want = { postgres: !env.DATABASE_URL, temporal: !env.TEMPORAL_ADDRESS, mail: !env.SMTP_URL };
  const vcsimBinary = env.VCSIM_URL ? undefined : resolveVcsimBinary(env);

  // Everything that can be checked up front is, so a missing binary or a busy port fails fast
  // instead of after the other components have started.
  const temporalBinary = want.temporal ? resolveTemporalBinary(env) : undefined;
  if (want.temporal && !temporalBinary) {
    throw new Error(
      'Temporal CLI not found (it runs the Temporal dev server). Install it with `bash scripts/ensure-tools.sh` ' +
        'or point TEMPORAL_CLI_PATH at it; or set TEMPORAL_ADDRESS to use a running Temporal.',
    );
  }
  const ports = persistent ? devPorts(env) : undefined;
  if (ports) {
    const needed: PortName[] = [
      ...(want.postgres ? (['postgres'] as const) : []),
      ...(want.temporal ? (['temporal', 'temporalUi'] as const) : []),
      ...(want.mail ? (['smtp', 'mailWeb'] as const) : []),
      ...(vcsimBinary ? (['vcsim'] as const) : []),
    ];
    await Promise.all(needed.map((name) => assertPortFree(ports[name], name, DEV_PORTS[name].env)));
  }

  await mkdir(dataDir, { recursive: true });
  const root = persistent ? dataDir : await mkdtemp(join(dataDir, 'stack-'));
  if (want.postgres) await letPostgresUserThrough(dataDir, root);

  const postgres = want.postgres
    ? timed(log, 'PostgreSQL', () => startPostgres({ dataDir: join(root, 'postgres'), port: ports?.postgres, persistent, log }))
    : undefined;
  const temporal = temporalBinary
    ? timed(log, 'Temporal', () =>
        startTemporal({
          binary: temporalBinary,
          dbFile: persistent ? join(root, 'temporal', 'temporal.db') : undefined,
          port: ports?.temporal,
          uiPort: ports?.temporalUi,
          log,
        }),
      )
    : undefined;
  const mail = want.mail
    ? timed(log, 'mail catcher', () =>
        startMailCatcher({
          smtpPort: ports?.smtp,
          httpPort: ports?.mailWeb,
          mailDirectory: join(root, 'mail'),
          log,
        }),
      )
    : undefined;

  const vcsim = vcsimBinary ? timed(log, 'vcsim', () => startVcsim({ binary: vcsimBinary, port: ports?.vcsim, log })) : undefined;

  const [pg, tp, mc, vc] = await Promise.allSettled([postgres, temporal, mail, vcsim]);
  const started: Record<string, { stop(): Promise<void> } | undefined> = {
    // Keys in start order; stop() walks them backwards.
    postgres: value(pg),
    temporal: value(tp),
    mail: value(mc),
    vcsim: value(vc),
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const [name, component] of Object.entries(started).reverse()) {
        try {
          await component?.stop();
        } catch (error) {
          log(`stopping ${name} failed: ${(error as Error).message}`);
        }
      }
      if (!persistent) await rm(root, { recursive: true, force: true }).catch(() => undefined);
    })());

  const failures = [pg, tp, mc, vc].filter((result) => result.status === 'rejected');
  if (failures.length > 0) {
    await stop();
    throw new Error(failures.map((failure) => (failure.reason as Error).message ?? String(failure.reason)).join('\n\n'));
  }

  return {
    databaseUrl: value(pg)?.databaseUrl ?? (env.DATABASE_URL as string),
    temporalAddress: value(tp)?.address ?? (env.TEMPORAL_ADDRESS as string),
    temporalUiUrl: value(tp)?.uiUrl ?? env.TEMPORAL_UI_URL,
    smtpUrl: value(mc)?.smtpUrl ?? (env.SMTP_URL as string),
    mailApiUrl: value(mc)?.apiUrl ?? env.MAIL_API_URL,
    vsphere: vcsimOf(value(vc), env),
    stop,
  };
}

function devPorts(env: NodeJS.ProcessEnv): Record<PortName, number> {
  const ports = {} as Record<PortName, number>;
  for (const [name, { env: variable, port }] of Object.entries(DEV_PORTS) as [PortName, (typeof DEV_PORTS)[PortName]][]) {
    const raw = env[variable];
    const parsed = raw === undefined || raw === '' ? port : Number(raw);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new Error(`${variable}=${raw} is not a TCP port`);
    ports[name] = parsed;
  }
  return ports;
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to pass through our data
 * directories to reach its own. Temp directories are created 0700, so add search (x) permission
 * for others; listing stays private.
 */
async function letPostgresUserThrough(...dirs: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (const dir of new Set(dirs)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o011);
  }
}

async function timed<T>(log: Logger, name: string, start: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await start();
  log(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function vcsimOf(started: { url: string; username: string; password: string } | undefined, env: NodeJS.ProcessEnv): Stack['vsphere'] {
  if (started) return { url: started.url, username: started.username, password: started.password };
  if (env.VCSIM_URL) return { url: env.VCSIM_URL, username: env.VCSIM_USERNAME ?? '', password: env.VCSIM_PASSWORD ?? '' };
  return undefined;
}

function value<T>(result: PromiseSettledResult<T>): T | undefined {
  return result.status === 'fulfilled' ? result.value : undefined;
}
