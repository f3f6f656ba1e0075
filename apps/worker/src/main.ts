import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@wholesail/config';
import { WorkerModule } from './worker.module';
import { createWorker } from './worker.factory';

/**
 * The worker process: a headless Nest context running one Temporal worker. SIGTERM/SIGINT start a
 * graceful shutdown: the worker stops polling, finishes in-flight tasks, then the context closes.
 */
async function main(): Promise<void> {
  const logger = new Logger('Worker');
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn', 'log'] });
  const { worker, connection } = await createWorker(app, config, { workflows: 'prebuilt' });

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
