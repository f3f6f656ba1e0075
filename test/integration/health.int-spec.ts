import type { INestApplication } from '@nestjs/common';
import { createServer, connect, type Socket } from 'node:net';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@wholesail/config';
import { findFreePort } from '@wholesail/devstack';
import { PersistenceModule } from '@wholesail/persistence';
import { TemporalClientModule } from '@wholesail/temporal';
import request from 'supertest';
import { HealthModule } from '../../apps/api/src/health/health.module';
import { testEnv, testStack } from '../support/stack';

/**
 * /health against the real PostgreSQL and Temporal of the test stack, with one dependency pointed
 * at a port where nothing listens: 200 while both answer, else 503 naming the one that is down
 * and why.
 */
describe('GET /health (integration)', () => {
  let app: INestApplication | undefined;
  const saved = { ...process.env };

  afterEach(async () => {
    await app?.close();
    app = undefined;
    process.env = { ...saved };
  });

  async function healthWith(overrides: Record<string, string>) {
    Object.assign(process.env, testEnv(overrides));
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule, TemporalClientModule, HealthModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return request(app.getHttpServer()).get('/health');
  }

  it('is 200 with both dependencies up', async () => {
    const response = await healthWith({});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, temporal: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('is 503 naming Temporal and why when Temporal does not answer', async () => {
    const response = await healthWith({ TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}` });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'error', info: { database: { status: 'up' } }, error: { temporal: { status: 'down' } } });
    expect(response.body.error.temporal.message).toMatch(/\S/);
    expect(response.body.error).not.toHaveProperty('database');
  });

  it('is 503 naming PostgreSQL when the database goes away', async () => {
    // The API needs the database to boot, so it boots through a TCP relay that is cut afterwards.
    const database = new URL(testStack().databaseUrl);
    const relay = await startRelay(Number(database.port));
    database.port = String(relay.port);
    expect((await healthWith({ DATABASE_URL: database.toString() })).status).toBe(200);

    await relay.cut();
    const response = await request(app!.getHttpServer()).get('/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'error', info: { temporal: { status: 'up' } }, error: { database: { status: 'down' } } });
    expect(response.body.error.database.message).toMatch(/\S/);
  });
});

/** A TCP relay to a local port; cut() closes it and every connection through it. */
async function startRelay(targetPort: number): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
