import { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import { periodContaining, shiftPeriodId, type Role } from '@wholesail/domain';
import { CatalogItem, CatalogPrice, Party, UsageLine, User } from '@wholesail/persistence';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { startHarness, type Harness } from '../support/harness';

/**
 * Usage over HTTP: resource events reported by the operator (idempotent by transaction ID, all or
 * none, fields named), listed with tenancy, and usage imports streamed — a generated 100,000-line
 * CSV imported whole, and one with errors at lines 3 and 99,999 refused whole with both.
 *
 * Its own tree, unique per run:  operator ─ R ─ C (client-user)      operator ─ S ─ CS
 */
describe('usage (e2e)', () => {
  let h: Harness;
  const run = Date.now().toString(36);
  const password = 'usage-e2e-password';
  const sku = `E2E-USAGE-${run}`.toUpperCase();
  const party: Record<'r' | 'c' | 's' | 'cs', Party> = {} as never;
  const token: Record<'operator' | 'r' | 's' | 'client', string> = {} as never;
  // Imported lines are for the last finished month (a line may not be for a later period).
  const period = shiftPeriodId(periodContaining(new Date(), 'UTC').id, -1);

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const em = h.app.get(EntityManager).fork();
    const operator = await em.findOneOrFail(Party, { code: 'operator' });
    party.r = Party.create({ kind: 'reseller', name: `Usage R ${run}`, code: `e2e-usage-r-${run}`, parent: operator });
    party.c = Party.create({ kind: 'client', name: `Usage C ${run}`, code: `e2e-usage-c-${run}`, parent: party.r });
    party.s = Party.create({ kind: 'reseller', name: `Usage S ${run}`, code: `e2e-usage-s-${run}`, parent: operator });
    party.cs = Party.create({ kind: 'client', name: `Usage CS ${run}`, code: `e2e-usage-cs-${run}`, parent: party.s });
    const item = em.create(CatalogItem, { sku, name: 'Usage e2e item', category: 'licence', unit: 'licence' });
    em.create(CatalogPrice, { item, currency: 'EUR', unitPrice: '4.00', effectiveFrom: new Date('2020-01-01T00:00:00Z') });
    const passwordHash = await hashPassword(password);
    const user = (who: string, of: Party, roles: Role[]) =>
      em.create(User, { email: `${who}-${run}@usage-e2e.demo`, displayName: who, party: of, roles, passwordHash, status: 'active' });
    user('r', party.r, ['reseller-admin']);
    user('s', party.s, ['reseller-admin']);
    user('client', party.c, ['client-user']);
    await em.persistAndFlush(Object.values(party));
    token.operator = await h.login('admin@wholesail.demo');
    for (const who of ['r', 's', 'client'] as const) token[who] = await h.login(`${who}-${run}@usage-e2e.demo`, password);
  });

  afterAll(async () => {
    await h?.close();
  });

  const as = (who: keyof typeof token) => ({ Authorization: `Bearer ${token[who]}` });
  const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);
  const event = (tx: string, kind: string, occurredAt: string, quantity?: string, more: Record<string, unknown> = {}) => ({
    transactionId: `${run}-${tx}`,
    clientId: party.c.id,
    resourceId: `${run}-vm-1`,
    sku,
    kind,
    ...(quantity === undefined ? {} : { quantity }),
    occurredAt,
    ...more,
  });

  /** POSTs a streamed body (never a string in memory) and reads the JSON answer. */
  function postStream(path: string, headers: Record<string, string>, body: Readable): Promise<{ status: number; body: any }> {
    const { port } = h.app.getHttpServer().address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      body.pipe(req);
    });
  }

  /** A CSV of `count` data lines, generated a thousand lines at a time; `bad(line)` may spoil a line. */
  function csv(prefix: string, count: number, bad: (line: number) => string | null = () => null): Readable {
    return Readable.from(
      (function* () {
        yield 'transactionId,clientId,sku,quantity,period,description\n';
        for (let from = 2; from <= count + 1; from += 1000) {
          let chunk = '';
          for (let line = from; line < Math.min(from + 1000, count + 2); line++) {
            chunk += bad(line) ?? `${prefix}-${line},${party.c.id},${sku},${line % 7}.5,${period},seat ${line}\n`;
          }
          yield chunk;
        }
      })(),
    );
  }

  describe('POST /usage/events', () => {
    it('records a batch, reports a re-send as duplicates, and refuses a reused transaction ID', async () => {
      const batch = [event('start', 'start', '2026-10-01T08:00:00Z', '2'), event('change', 'change', '2026-10-10T08:00:00Z', '3.5')];
      const first = await h.http.post('/usage/events').set(as('operator')).send({ events: batch }).expect(200);
      expect(first.body).toMatchObject({ recorded: 2, duplicates: 0 });
      expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['recorded', 'recorded']);
      const again = await h.http.post('/usage/events').set(as('operator')).send({ events: batch }).expect(200);
      expect(again.body).toMatchObject({ recorded: 0, duplicates: 2 });
      expect(again.body.results.map((r: { eventId: string }) => r.eventId)).toEqual(first.body.results.map((r: { eventId: string }) => r.eventId));

      const reused = await h.http
        .post('/usage/events')
        .set(as('operator'))
        .send({ events: [event('start', 'start', '2026-10-01T08:00:00Z', '5')] })
        .expect(409);
      expect([reused.body.code, fieldsOf(reused.body)]).toEqual(['USAGE_TRANSACTION_CONFLICT', ['events[0].transactionId']]);
    });

    it('names every bad field and writes nothing of a batch with one bad event', async () => {
      const bad = await h.http
        .post('/usage/events')
        .set(as('operator'))
        .send({
          events: [
            event('ok-but-not-alone', 'start', '2026-10-01T08:00:00Z', '1', { resourceId: `${run}-vm-2` }),
            event('bad', 'start', '2999-01-01T00:00:00Z', 3 as never, { clientId: party.r.id, sku: 'NOPE' }),
          ],
        })
        .expect(400);
      expect(bad.body.code).toBe('USAGE_INVALID_EVENT');
      expect(fieldsOf(bad.body)).toEqual(['events[1].quantity', 'events[1].occurredAt']);
      const refs = await h.http
        .post('/usage/events')
        .set(as('operator'))
        .send({
          events: [
            event('ok-but-not-alone', 'start', '2026-10-01T08:00:00Z', '1', { resourceId: `${run}-vm-2` }),
            event('bad', 'start', '2026-10-01T08:00:00Z', '1', { clientId: party.r.id, sku: 'NOPE' }),
          ],
        })
        .expect(400);
      expect(refs.body.fields).toEqual([
        { field: 'events[1].clientId', problem: 'is a reseller, not a client' },
        { field: 'events[1].sku', problem: 'is not in the catalog' },
      ]);
      const listed = await h.http.get(`/usage/events?clientId=${party.c.id}&resourceId=${run}-vm-2`).set(as('operator')).expect(200);
      expect(listed.body.meta.total).toBe(0);

      const unknownField = await h.http
        .post('/usage/events')
        .set(as('operator'))
        .send({ events: [{ ...event('x', 'stop', '2026-10-01T08:00:00Z'), colour: 'red' }] })
        .expect(400);
      expect(unknownField.body.fields).toEqual([{ field: 'events[0].colour', problem: 'is not an allowed field' }]);
      await h.http.post('/usage/events').set(as('operator')).send({ events: [] }).expect(400);
      const sequence = await h.http
        .post('/usage/events')
        .set(as('operator'))
        .send({ events: [event('orphan-stop', 'stop', '2026-10-01T08:00:00Z', undefined, { resourceId: `${run}-vm-9` })] })
        .expect(409);
      expect([sequence.body.code, fieldsOf(sequence.body)]).toEqual(['USAGE_INVALID_SEQUENCE', ['events[0].occurredAt']]);
    });

    it('is the operator’s: a reseller may not report usage, even for its own clients', async () => {
      const refused = await h.http
        .post('/usage/events')
        .set(as('r'))
        .send({ events: [event('by-reseller', 'start', '2026-10-01T08:00:00Z', '1', { resourceId: `${run}-vm-3` })] })
        .expect(403);
      expect(refused.body.code).toBe('ROLE_REQUIRED');
    });
  });

  describe('GET /usage/events', () => {
    it('shows a client’s events to it and the parties above it, and to no one else', async () => {
      const mine = await h.http.get(`/usage/events?clientId=${party.c.id}`).set(as('r')).expect(200);
      expect(mine.body.items.map((e: { transactionId: string }) => e.transactionId)).toEqual([`${run}-start`, `${run}-change`]);
      expect(mine.body.items[1]).toMatchObject({ kind: 'change', quantity: '3.5', sku, source: 'api', freezePeriod: null, late: false });
      const own = await h.http.get('/usage/events?from=2026-10-05T00:00:00Z').set(as('client')).expect(200);
      expect(own.body.items.map((e: { transactionId: string }) => e.transactionId)).toEqual([`${run}-change`]);

      const sibling = await h.http.get(`/usage/events?clientId=${party.c.id}`).set(as('s')).expect(404);
      expect(sibling.body.message).toMatch(/does not exist/);
      const siblingAll = await h.http.get('/usage/events?pageSize=200').set(as('s')).expect(200);
      expect(siblingAll.body.items.filter((e: { clientId: string }) => e.clientId === party.c.id)).toEqual([]);
      await h.http.get('/usage/events?from=yesterday').set(as('r')).expect(400);
    });
  });

  describe('POST /usage/imports', () => {
    it('imports a generated 100,000-line CSV, streamed, whole', async () => {
      const response = await postStream(
        `/usage/imports?fileName=big-${run}.csv`,
        { Authorization: `Bearer ${token.operator}`, 'Content-Type': 'text/csv' },
        csv(`${run}-big`, 100_000),
      );
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        status: 'imported',
        format: 'csv',
        fileName: `big-${run}.csv`,
        lineCount: 100_000,
        importedCount: 100_000,
        duplicateCount: 0,
        errorCount: 0,
      });
      const em = h.app.get(EntityManager).fork();
      expect(await em.count(UsageLine, { usageImport: response.body.id })).toBe(100_000);
      const line = await em.findOneOrFail(UsageLine, { transactionId: `${run}-big-99999` });
      expect([line.lineNumber, line.quantity, line.period, line.description]).toEqual([99_999, '4.500000', period, 'seat 99999']);
      const shown = await h.http.get(`/usage/imports/${response.body.id}`).set(as('operator')).expect(200);
      expect(shown.body).toMatchObject({ status: 'imported', importedCount: 100_000 });
    }, 240_000);

    it('refuses a 100,000-line file with errors at lines 3 and 99,999 whole, naming both lines', async () => {
      const bad = (line: number) =>
        line === 3 ? `${run}-bad-3,${party.c.id},${sku},-2,${period},\n` : line === 99_999 ? `${run}-bad-99999,${party.cs.id},${sku},1,13-2026,\n` : null;
      const response = await postStream(
        '/usage/imports',
        { Authorization: `Bearer ${token.operator}`, 'Content-Type': 'text/csv' },
        csv(`${run}-bad`, 100_000, bad),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('USAGE_IMPORT_REFUSED');
      expect(response.body.fields).toEqual([
        { field: 'line 3: quantity', problem: 'must not be negative' },
        { field: 'line 99999: period', problem: 'must be a month as YYYY-MM, e.g. "2026-10"' },
      ]);
      expect(response.body.import).toMatchObject({ status: 'refused', lineCount: 100_000, importedCount: 0, errorCount: 2 });
      expect(
        await h.app
          .get(EntityManager)
          .fork()
          .count(UsageLine, { transactionId: { $like: `${run}-bad-%` } }),
      ).toBe(0);
      const shown = await h.http.get(`/usage/imports/${response.body.import.id}`).set(as('operator')).expect(200);
      expect(shown.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 99_999]);
    }, 240_000);

    it('reads NDJSON and a gzipped JSON array; re-sent lines are ignored', async () => {
      const lines = [1, 2].map((i) => ({ transactionId: `${run}-json-${i}`, clientId: party.c.id, sku, quantity: `${i}`, period }));
      const ndjson = await postStream(
        '/usage/imports',
        { Authorization: `Bearer ${token.operator}`, 'Content-Type': 'application/x-ndjson' },
        Readable.from([lines.map((l) => JSON.stringify(l)).join('\n')]),
      );
      expect(ndjson.body).toMatchObject({ status: 'imported', format: 'ndjson', importedCount: 2 });
      const json = await postStream(
        '/usage/imports',
        { Authorization: `Bearer ${token.operator}`, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        Readable.from([gzipSync(JSON.stringify([...lines, { ...lines[0], transactionId: `${run}-json-3` }], null, 2))]),
      );
      expect([json.status, json.body.format, json.body.importedCount, json.body.duplicateCount]).toEqual([201, 'json', 1, 2]);
    });

    it('refuses a client out of reach, an unknown content type, and anyone but the operator', async () => {
      const unsupported = await postStream('/usage/imports', { Authorization: `Bearer ${token.operator}`, 'Content-Type': 'text/plain' }, Readable.from(['x']));
      expect([unsupported.status, unsupported.body.code]).toEqual([415, 'USAGE_IMPORT_UNSUPPORTED_TYPE']);
      const reseller = await postStream('/usage/imports', { Authorization: `Bearer ${token.r}`, 'Content-Type': 'text/csv' }, csv(`${run}-r`, 1));
      expect(reseller.status).toBe(403);
      const notClient = await postStream(
        '/usage/imports',
        { Authorization: `Bearer ${token.operator}`, 'Content-Type': 'text/csv' },
        csv(`${run}-nc`, 2, (line) => (line === 2 ? `${run}-nc-2,${party.r.id},${sku},1,${period},\n` : null)),
      );
      expect(notClient.body.fields).toEqual([{ field: 'line 2: clientId', problem: 'is a reseller, not a client' }]);
      await h.http.get('/usage/imports/00000000-0000-4000-8000-000000000000').set(as('operator')).expect(404);
      await h.http.get('/usage/imports/00000000-0000-4000-8000-000000000000').set(as('r')).expect(403);
    });
  });
});
