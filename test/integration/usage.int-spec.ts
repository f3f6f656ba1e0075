import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '@wholesail/config';
import { billingPeriod, isDomainError, usageForRun, type DomainError } from '@wholesail/domain';
import { CatalogItem, CatalogPrice, Party, ResourceEvent, UsageLine, ormConfig } from '@wholesail/persistence';
import { UsageFreezer, UsageImporter, UsageReader, UsageRecorder, type RecordContext } from '@wholesail/usage';
import { Readable } from 'node:stream';
import { testStack } from '../support/stack';

/**
 * The usage writer on real PostgreSQL with the real migrations: idempotency decided by the
 * database under concurrency, the resource sequence serialised per resource, the freeze, and
 * imports refused whole. Each test uses its own client and SKU.
 */
describe('usage recording (integration)', () => {
  let orm: MikroORM;
  let recorder: UsageRecorder;
  let importer: UsageImporter;
  const config = { operatorTimeZone: 'Europe/Amsterdam' } as AppConfig;
  const context: RecordContext = { source: 'provisioning', sourceRef: 'workflow:int-test', recordedBy: 'workflow:int-test' };
  const run = Date.now().toString(36);
  let n = 0;

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl));
    recorder = new UsageRecorder(orm.em);
    importer = new UsageImporter(orm.em, config);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  /** A client under a fresh direct reseller, and a SKU priced from 2020. */
  async function world(): Promise<{ client: Party; reseller: Party; sku: string }> {
    const tag = `${run}-${++n}`;
    const em = orm.em.fork();
    const operator = await em.findOneOrFail(Party, { code: 'operator' });
    const reseller = Party.create({ kind: 'reseller', name: `Usage reseller ${tag}`, code: `int-usage-r-${tag}`, parent: operator });
    const client = Party.create({ kind: 'client', name: `Usage client ${tag}`, code: `int-usage-c-${tag}`, parent: reseller });
    const sku = `INT-${tag}`.toUpperCase();
    const item = em.create(CatalogItem, { sku, name: sku, category: 'compute', unit: 'unit' });
    em.create(CatalogPrice, { item, currency: 'EUR', unitPrice: '10.00', effectiveFrom: new Date('2020-01-01T00:00:00Z') });
    em.persist([reseller, client]);
    await em.flush();
    return { client, reseller, sku };
  }

  const event = (w: { client: Party; sku: string }, tx: string, kind: string, occurredAt: string, quantity?: string, resourceId = 'vm-1') => ({
    transactionId: `${run}-${tx}`,
    clientId: w.client.id,
    resourceId: `${run}-${w.client.id}-${resourceId}`,
    sku: w.sku,
    kind,
    quantity,
    occurredAt,
  });
  const failure = async (promise: Promise<unknown>): Promise<DomainError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isDomainError(error)) throw new Error(`expected a DomainError, got ${String(error)}`);
    return error;
  };

  it('records concurrent re-sends of one transaction ID once', async () => {
    const w = await world();
    const start = event(w, 'concurrent', 'start', '2026-10-01T08:00:00Z', '2');
    const results = await Promise.all(Array.from({ length: 8 }, () => recorder.record(start, context)));
    expect(results.filter((r) => r.status === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(7);
    expect(new Set(results.map((r) => r.eventId)).size).toBe(1);
    expect(await orm.em.fork().count(ResourceEvent, { transactionId: start.transactionId })).toBe(1);
  });

  it('refuses a transaction ID re-sent with other content, writing nothing of the batch', async () => {
    const w = await world();
    await recorder.record(event(w, 'tx-a', 'start', '2026-10-01T08:00:00Z', '2'), context);
    const error = await failure(
      recorder.recordMany([event(w, 'tx-b', 'start', '2026-10-02T08:00:00Z', '1', 'vm-2'), event(w, 'tx-a', 'start', '2026-10-01T08:00:00Z', '3')], context),
    );
    expect([error.code, error.kind, error.fields.map((f) => f.field)]).toEqual(['USAGE_TRANSACTION_CONFLICT', 'conflict', ['events[1].transactionId']]);
    expect(await orm.em.fork().count(ResourceEvent, { transactionId: `${run}-tx-b` })).toBe(0);
  });

  it('lets only one of two concurrent starts of one resource through', async () => {
    const w = await world();
    const outcomes = await Promise.allSettled([
      recorder.record(event(w, 'start-1', 'start', '2026-10-01T08:00:00Z', '1'), context),
      recorder.record(event(w, 'start-2', 'start', '2026-10-01T09:00:00Z', '1'), context),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'USAGE_INVALID_SEQUENCE' });
  });

  it('refuses events that do not fit the resource’s recorded life, naming the field', async () => {
    const w = await world();
    expect((await failure(recorder.record(event(w, 'orphan', 'change', '2026-10-01T08:00:00Z', '2'), context))).fields).toEqual([
      { field: 'occurredAt', problem: expect.stringMatching(/not running/) },
    ]);
    await recorder.recordMany([event(w, 's', 'start', '2026-10-01T08:00:00Z', '2'), event(w, 'c', 'change', '2026-10-05T08:00:00Z', '4')], context);
    // A stop before the recorded change would leave the change without a running resource.
    const early = await failure(recorder.record(event(w, 'early-stop', 'stop', '2026-10-03T08:00:00Z'), context));
    expect(early.fields[0].problem).toMatch(/would break the recorded events .*not running/);
    expect((await recorder.record(event(w, 'stop', 'stop', '2026-10-06T08:00:00Z'), context)).status).toBe('recorded');
  });

  it('refuses unknown clients, parties that are not clients, unknown or unpriced SKUs', async () => {
    const w = await world();
    const em = orm.em.fork();
    em.create(CatalogItem, { sku: `${w.sku}-NOPRICE`, name: 'no price', category: 'licence', unit: 'licence' });
    await em.flush();
    const error = await failure(
      recorder.recordMany(
        [
          { ...event(w, 'u1', 'start', '2026-10-01T08:00:00Z', '1'), clientId: '00000000-0000-4000-8000-000000000000' },
          { ...event(w, 'u2', 'start', '2026-10-01T08:00:00Z', '1', 'vm-2'), clientId: w.reseller.id },
          { ...event(w, 'u3', 'start', '2026-10-01T08:00:00Z', '1', 'vm-3'), sku: 'NO-SUCH-SKU' },
          { ...event(w, 'u4', 'start', '2026-10-01T08:00:00Z', '1', 'vm-4'), sku: `${w.sku}-NOPRICE` },
        ],
        context,
      ),
    );
    expect(error.fields).toEqual([
      { field: 'events[0].clientId', problem: 'does not exist' },
      { field: 'events[1].clientId', problem: 'is a reseller, not a client' },
      { field: 'events[2].sku', problem: 'is not in the catalog' },
      { field: 'events[3].sku', problem: 'has no wholesale price in force at 2026-10-01T08:00:00.000Z' },
    ]);
    // A caller scoped to another party does not see the client at all.
    const scoped = await failure(recorder.record(event(w, 'u5', 'start', '2026-10-01T08:00:00Z', '1'), { ...context, scopePath: '/nowhere/' }));
    expect(scoped.fields).toEqual([{ field: 'clientId', problem: 'does not exist' }]);
  });

  it('imports a CSV whole, ignores re-sent lines, and refuses a file with any error, writing none of it', async () => {
    const w = await world();
    const csv = (rows: string[]) => Readable.from([['transactionId,clientId,sku,quantity,period,description', ...rows].join('\n')]);
    const row = (tx: string, quantity: string) => `${run}-${tx},${w.client.id},${w.sku},${quantity},2026-10,licences`;
    const first = await importer.import(csv([row('l1', '5'), row('l2', '2.5')]), { format: 'csv', createdBy: 'user:int', fileName: 'a.csv' });
    expect([first.status, first.lineCount, first.importedCount, first.duplicateCount]).toEqual(['imported', 2, 2, 0]);
    const again = await importer.import(csv([row('l1', '5'), row('l2', '2.50'), row('l3', '1')]), { format: 'csv', createdBy: 'user:int' });
    expect([again.status, again.importedCount, again.duplicateCount]).toEqual(['imported', 1, 2]);

    const refused = await importer.import(csv([row('l4', '1'), row('l1', '6'), `${run}-l5,${w.client.id},${w.sku},-1,2026-10,`]), {
      format: 'csv',
      createdBy: 'user:int',
    });
    expect(refused.status).toBe('refused');
    expect(refused.errors).toEqual([
      { line: 3, field: 'transactionId', problem: expect.stringMatching(/already used for a different usage line \(line 2 of import/) },
      { line: 4, field: 'quantity', problem: 'must not be negative' },
    ]);
    expect(await orm.em.fork().count(UsageLine, { transactionId: `${run}-l4` })).toBe(0);
    expect((await importer.find(refused.id)).status).toBe('refused');
  });

  /**
   * A freeze stamps every unfrozen event of the database, and periods freeze in order; so this runs
   * on a database of its own, migrated for it, rather than on the one other test files share.
   */
  describe('the freeze (own database)', () => {
    let isolated: MikroORM;
    const database = `usage_freeze_${run.replace(/[^a-z0-9]/g, '')}`;

    beforeAll(async () => {
      await orm.em.getConnection().execute(`create database "${database}"`);
      const url = new URL(testStack().databaseUrl);
      url.pathname = `/${database}`;
      isolated = await MikroORM.init(ormConfig(url.toString(), { logger: () => undefined }));
      await isolated.getMigrator().up();
    });

    afterAll(async () => {
      await isolated?.close(true);
      await orm.em.getConnection().execute(`drop database if exists "${database}" with (force)`);
    });

    it('freezes a period once and in order, leaves later events to the next run, and reads them back', async () => {
      const em = isolated.em.fork();
      const operator = Party.create({ kind: 'operator', name: 'Operator', code: 'operator' });
      const reseller = Party.create({ kind: 'reseller', name: 'Reseller', code: 'reseller', parent: operator });
      const client = Party.create({ kind: 'client', name: 'Client', code: 'client', parent: reseller });
      const item = em.create(CatalogItem, { sku: 'VCPU', name: 'vCPU', category: 'compute', unit: 'vCPU' });
      em.create(CatalogPrice, { item, currency: 'EUR', unitPrice: '10.00', effectiveFrom: new Date('2020-01-01T00:00:00Z') });
      em.persist([operator, reseller, client]);
      await em.flush();
      const own = { recorder: new UsageRecorder(isolated.em), freezer: new UsageFreezer(isolated.em, config), reader: new UsageReader(isolated.em, config) };
      const w = { client, sku: 'VCPU' };
      const november = new Date('2026-11-03T09:00:00Z');

      await own.recorder.record(event(w, 'f-start', 'start', '2026-09-20T08:00:00Z', '1'), context);
      expect((await failure(own.freezer.freeze('2026-10', 'workflow:int', new Date('2026-10-31T22:59:59Z')))).code).toBe('USAGE_FREEZE_TOO_EARLY');
      const first = await own.freezer.freeze('2026-10', 'workflow:int', november);
      expect([first.alreadyFrozen, first.eventCount, first.lineCount]).toEqual([false, 1, 0]);
      expect(await own.freezer.freeze('2026-10', 'workflow:other', november)).toEqual({ ...first, alreadyFrozen: true });
      expect((await failure(own.freezer.freeze('2026-09', 'workflow:int', november))).code).toBe('USAGE_FREEZE_OUT_OF_ORDER');

      // The stop arrives after October's freeze: unfrozen, so October is billed to its end and the stop is reported.
      await own.recorder.record(event(w, 'f-stop', 'stop', '2026-10-20T08:00:00Z'), context);
      const october = billingPeriod('2026-10', 'Europe/Amsterdam');
      const octoberUsage = usageForRun(await own.reader.forRun('2026-10', [client.id]), { period: october, firstBilledPeriod: '2026-10' });
      expect(octoberUsage.segments.map((s) => s.to.toISOString())).toEqual([october.end.toISOString()]);
      expect(octoberUsage.excluded.map((e) => [e.transactionId, e.reason])).toEqual([[`${run}-f-stop`, 'arrived-after-freeze']]);

      // November's freeze takes it; November's run credits 20 Oct 08:00Z → 31 Oct 23:00Z as late usage of October.
      expect((await own.freezer.freeze('2026-11', 'workflow:int', new Date('2026-12-02T00:00:00Z'))).eventCount).toBe(1);
      const novemberUsage = usageForRun(await own.reader.forRun('2026-11', [client.id]), {
        period: billingPeriod('2026-11', 'Europe/Amsterdam'),
        firstBilledPeriod: '2026-10',
      });
      expect(novemberUsage.segments.map((s) => [s.usagePeriod, s.late, s.quantity.toFixed(), s.from.toISOString(), s.to.toISOString()])).toEqual([
        ['2026-10', true, '-1', '2026-10-20T08:00:00.000Z', '2026-10-31T23:00:00.000Z'],
      ]);
    });
  });
});
