import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '@wholesail/config';
import request from 'supertest';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { createWorker } from '../../apps/worker/src/worker.factory';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { testEnv } from './stack';

/**
 * The whole application in one test process: the HTTP API on a free port and a Temporal worker on
 * a private task queue (loading the prebuilt workflow bundle, as production does), both against
 * the real PostgreSQL, Temporal and SMTP started by the global setup.
 */
export interface Harness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  env: Record<string, string>;
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(options: { worker?: boolean; env?: Record<string, string> } = {}): Promise<Harness> {
  const env = testEnv(options.env);
  Object.assign(process.env, env);
  const config = loadConfig(env);

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
  await app.listen(0, '127.0.0.1');

  let workerContext: INestApplicationContext | undefined;
  let worker: Worker | undefined;
  let connection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  if (options.worker !== false) {
    workerContext = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
    ({ worker, connection } = await createWorker(workerContext, config, { workflows: 'prebuilt' }));
    running = worker.run();
  }

  const http = request(app.getHttpServer());
  const login = async (email: string, password = 'wholesail-demo') => {
    const response = await http.post('/auth/login').send({ email, password }).expect(200);
    return response.body.accessToken as string;
  };
  return {
    app,
    http,
    env,
    login,
    close: async () => {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection?.close();
      await workerContext?.close();
      await app.close();
    },
  };
}
