import { EntityManager } from '@mikro-orm/postgresql';
import { Body, Controller, HttpCode, type INestApplication, Post } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { sha256 } from '@wholesail/auth';
import { ConfigModule } from '@wholesail/config';
import { DomainError } from '@wholesail/domain';
import { IdempotencyRecord, Party, PersistenceModule } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { configureApp } from '../../apps/api/src/app.setup';
import { Idempotent, IdempotencyInterceptor } from '../../apps/api/src/common/idempotency.interceptor';
import { createPartner } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { testEnv } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * `Idempotency-Key` is claimed in the database before the work runs: concurrent twins wait for
 * the first request and replay its response; a 5xx releases the claim so a retry can run; a 4xx
 * is stored and replayed, except a body the validation layer refused (nothing ran); the same key
 * with another body is a 422.
 */
describe('Idempotency-Key (e2e)', () => {
  describe('on the real API', () => {
    let h: Harness;
    let operator: string;
    let reseller: string;

    beforeAll(async () => {
      h = await startHarness({ worker: false });
      operator = await h.login('admin@wholesail.demo');
      const parties = await h.http.get('/parties?kind=operator').set('Authorization', `Bearer ${operator}`).expect(200);
      const distributor = await createPartner(h, { kind: 'distributor', parentId: parties.body.items[0].id, role: 'distributor-admin' });
      reseller = (await createPartner(h, { kind: 'reseller', parentId: distributor.party.id, role: 'reseller-admin' })).party.id;
    });

    afterAll(async () => {
      await h?.close();
    });

    it('creates one client for ten concurrent requests with one key, and answers all ten alike', async () => {
      const key = `idem-${randomUUID()}`;
      const body = { kind: 'client', name: `Concurrent ${key}`, parentId: reseller, billingEmail: 'billing@concurrent.test' };
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => h.http.post('/parties').set('Authorization', `Bearer ${operator}`).set('Idempotency-Key', key).send(body)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      for (const r of responses) expect(r.body).toEqual(responses[0].body);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      expect(await h.app.get(EntityManager).fork().count(Party, { name: body.name })).toBe(1);
    });

    it('refuses the same key with another body, also while the first is running', async () => {
      const key = `idem-${randomUUID()}`;
      const body = (name: string) => ({ kind: 'client', name, parentId: reseller, billingEmail: 'billing@concurrent.test' });
      const [first, other] = await Promise.all([
        h.http
          .post('/parties')
          .set('Authorization', `Bearer ${operator}`)
          .set('Idempotency-Key', key)
          .send(body(`First ${key}`)),
        h.http
          .post('/parties')
          .set('Authorization', `Bearer ${operator}`)
          .set('Idempotency-Key', key)
          .send(body(`Other ${key}`)),
      ]);
      const statuses = [first.status, other.status].sort();
      expect(statuses).toEqual([201, 422]);
      expect([first, other].find((r) => r.status === 422)!.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('saves nothing for a body the validation layer refuses: the corrected form goes through under the same key', async () => {
      const key = `idem-${randomUUID()}`;
      const body = { kind: 'client', name: `Corrected ${key}`, parentId: reseller, billingEmail: 'not-an-email' };
      const send = (b: object) => h.http.post('/parties').set('Authorization', `Bearer ${operator}`).set('Idempotency-Key', key).send(b);
      const refused = await send(body).expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'billingEmail' }] });
      expect(refused.headers['idempotent-replayed']).toBeUndefined();
      const created = await send({ ...body, billingEmail: 'billing@corrected.test' }).expect(201);
      const replayed = await send({ ...body, billingEmail: 'billing@corrected.test' }).expect(201);
      expect([replayed.body.id, replayed.headers['idempotent-replayed']]).toEqual([created.body.id, 'true']);
      // Once the work has run, the key belongs to that request.
      expect((await send(body).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('claims (a probe controller over the real interceptor and PostgreSQL)', () => {
    let app: INestApplication;
    let http: ReturnType<typeof request>;
    const calls: Record<string, number> = {};
    const gates = new Map<string, { open: () => void; opened: Promise<void> }>();

    function gate(name: string) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      gates.set(name, { open, opened });
      return open;
    }

    @Controller('probe')
    class ProbeController {
      @Post('flaky')
      @Idempotent()
      flaky(@Body() body: { id: string }) {
        calls[body.id] = (calls[body.id] ?? 0) + 1;
        if (calls[body.id] === 1) throw new Error('the database went away');
        return { id: body.id, attempt: calls[body.id] };
      }

      @Post('conflict')
      @Idempotent()
      conflict(@Body() body: { id: string }) {
        calls[body.id] = (calls[body.id] ?? 0) + 1;
        throw DomainError.conflict('PROBE_TAKEN', `taken (call ${calls[body.id]})`);
      }

      @Post('slow')
      @HttpCode(202)
      @Idempotent()
      async slow(@Body() body: { id: string }) {
        calls[body.id] = (calls[body.id] ?? 0) + 1;
        await gates.get(body.id)?.opened;
        return { id: body.id, call: calls[body.id] };
      }
    }

    beforeAll(async () => {
      Object.assign(process.env, testEnv({ IDEMPOTENCY_WAIT: '1500ms' }));
      const moduleRef = await Test.createTestingModule({
        imports: [ConfigModule, PersistenceModule],
        controllers: [ProbeController],
        providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
      }).compile();
      app = configureApp(moduleRef.createNestApplication({ logger: false }));
      await app.listen(0, '127.0.0.1');
      http = request(app.getHttpServer());
    });

    afterAll(async () => {
      for (const g of gates.values()) g.open();
      await app?.close();
    });

    it('releases the claim when the first attempt fails with a 5xx, so the retry runs', async () => {
      const key = `flaky-${randomUUID()}`;
      const body = { id: key };
      await http.post('/probe/flaky').set('Idempotency-Key', key).send(body).expect(500);
      const retry = await http.post('/probe/flaky').set('Idempotency-Key', key).send(body).expect(201);
      expect(retry.body).toEqual({ id: key, attempt: 2 });
      const replay = await http.post('/probe/flaky').set('Idempotency-Key', key).send(body).expect(201);
      expect([replay.body, replay.headers['idempotent-replayed'], calls[key]]).toEqual([{ id: key, attempt: 2 }, 'true', 2]);
    });

    it('stores a 4xx and replays it without running the work again', async () => {
      const key = `conflict-${randomUUID()}`;
      const first = await http.post('/probe/conflict').set('Idempotency-Key', key).send({ id: key }).expect(409);
      const second = await http.post('/probe/conflict').set('Idempotency-Key', key).send({ id: key }).expect(409);
      expect(second.body).toEqual(first.body);
      expect([second.body.code, second.headers['idempotent-replayed'], calls[key]]).toEqual(['PROBE_TAKEN', 'true', 1]);
    });

    it('makes a concurrent twin wait for the first request and replay its response', async () => {
      const key = `slow-${randomUUID()}`;
      const open = gate(key);
      const first = http.post('/probe/slow').set('Idempotency-Key', key).send({ id: key });
      const firstDone = first.then((r) => r);
      // The twin arrives while the first holds the claim; the first finishes only afterwards.
      const em = app.get(EntityManager).fork();
      await waitUntil(async () => (await em.fork().count(IdempotencyRecord, { key })) === 1);
      const twin = http
        .post('/probe/slow')
        .set('Idempotency-Key', key)
        .send({ id: key })
        .then((r) => r);
      // Opened a moment later so the twin usually finds the claim still held and waits; were it
      // late, it would find the stored response instead: either way it must replay, not rerun.
      setTimeout(open, 200);
      const [a, b] = await Promise.all([firstDone, twin]);
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(b.body).toEqual(a.body);
      expect([b.headers['idempotent-replayed'], calls[key]]).toEqual(['true', 1]);
    });

    it('bounds the wait: a twin of a request still running after IDEMPOTENCY_WAIT gets a 409 with Retry-After', async () => {
      const key = `stuck-${randomUUID()}`;
      const open = gate(key);
      const first = http
        .post('/probe/slow')
        .set('Idempotency-Key', key)
        .send({ id: key })
        .then((r) => r);
      await waitUntil(async () => (await app.get(EntityManager).fork().count(IdempotencyRecord, { key })) === 1);
      const twin = await http.post('/probe/slow').set('Idempotency-Key', key).send({ id: key }).expect(409);
      expect(twin.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
      expect(Number(twin.headers['retry-after'])).toBeGreaterThan(0);
      open();
      expect((await first).status).toBe(202);
    });

    it('takes over a claim whose request died (its lease ran out)', async () => {
      const key = `abandoned-${randomUUID()}`;
      const body = { id: key };
      // A claim left behind by a process that crashed mid-request, its lease long over.
      await app
        .get(EntityManager)
        .getConnection()
        .execute(
          `insert into idempotency_record (id, created_at, updated_at, principal, key, route, request_hash, state, claim_token, locked_until)
           values (?, now(), now(), 'anonymous', ?, 'POST /probe/slow', ?, 'in-progress', ?, now() - interval '1 minute')`,
          [randomUUID(), key, requestHashOf('POST', '/probe/slow', body), randomUUID()],
        );
      const res = await http.post('/probe/slow').set('Idempotency-Key', key).send(body).expect(202);
      expect([res.body, res.headers['idempotent-replayed']]).toEqual([{ id: key, call: 1 }, undefined]);
    });
  });
});

const waitUntil = (probe: () => Promise<boolean>) => waitFor(async () => ((await probe()) ? true : undefined), 10_000, 20);

/** The interceptor's own fingerprint of a request: method, URL and body. */
const requestHashOf = (method: string, url: string, body: unknown) => sha256(JSON.stringify([method, url, body]));
