import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { type AppConfig, createAppLogger, loadConfig } from '@wholesail/config';
import { WorkerModule } from './worker.module';
import { createWorker } from './worker.factory';
import { ensureSchedules } from './schedules';

const TEMPORAL_LEVEL = { error: 'ERROR', warn: 'WARN', log: 'INFO', debug: 'INFO', verbose: 'DEBUG' } as const satisfies Record<
  AppConfig['logLevel'],
  LogLevel
>;

/**
 * Temporal's log at LOG_LEVEL: workflow and activity lines as they come; the SDK's own INFO lines
 * about the worker (state changes, no Nexus services) only from LOG_LEVEL=debug, since this
 * process already says when it polls and when it stops.
 */
class TemporalLogger extends DefaultLogger {
  constructor(private readonly appLevel: AppConfig['logLevel']) {
    super(TEMPORAL_LEVEL[appLevel]);
  }

  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (level === 'INFO' && meta?.sdkComponent === 'worker' && this.appLevel === 'log') return;
    super.log(level, message, meta);
  }
}

/**
 * The worker process: a headless Nest context running one Temporal worker. SIGTERM/SIGINT start a
 * graceful shutdown: the worker stops polling, finishes in-flight tasks, then the context closes.
 */
async function main(): Promise<void> {
  const logger = new Logger('Worker');
  const config = loadConfig();
  Runtime.install({ logger: new TemporalLogger(config.logLevel) });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: createAppLogger(config.logLevel) });
  const { worker, connection } = await createWorker(app, config, { workflows: 'prebuilt' });
  // Recurring work is a Temporal Schedule, created or updated here (and by `npm run bootstrap`), never at DI time.
  for (const [id, what] of Object.entries(await ensureSchedules(config))) logger.log(`schedule ${id} ${what} (${config.operatorTimeZone})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining in-flight tasks`);
    worker.shutdown();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  logger.log(`polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} (namespace ${config.temporal.namespace})`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await app.close();
    logger.log('stopped');
  }
}

main().catch((error: unknown) => {
  console.error('worker failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
