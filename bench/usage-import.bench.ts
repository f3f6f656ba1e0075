/**
 * Usage import throughput and memory: CSV files of 10k, 100k and 300k lines streamed through the
 * real importer into a throwaway PostgreSQL. The floor, measured in the same run, is reading and
 * validating the same file without the database. If the importer held the file, its peak heap
 * would grow with the file; streamed, it stays flat. Run: `npm run bench` (after `npm run build`).
 * Prints figures; asserts nothing.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '@wholesail/config';
import { startPostgres } from '@wholesail/devstack';
import { periodContaining, shiftPeriodId, usageLineProblems } from '@wholesail/domain';
import { CatalogItem, CatalogPrice, ormConfig, Party } from '@wholesail/persistence';
import { readUsageFile, UsageImporter } from '@wholesail/usage';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const SIZES = [10_000, 100_000, 300_000];
const MiB = 1024 * 1024;

function csv(prefix: string, lines: number, clientId: string, sku: string, period: string): Readable {
  return Readable.from(
    (function* () {
      yield 'transactionId,clientId,sku,quantity,period,description\n';
      for (let from = 0; from < lines; from += 1000) {
        let chunk = '';
        for (let i = from; i < Math.min(from + 1000, lines); i++) chunk += `${prefix}-${i},${clientId},${sku},${i % 13}.25,${period},seat ${i}\n`;
        yield chunk;
      }
    })(),
  );
}

/** Runs `work`, sampling the heap and RSS every 10 ms; returns seconds and the peaks above the start. */
async function measure(work: () => Promise<unknown>): Promise<{ seconds: number; heapPeak: number; rssPeak: number; retained: number }> {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  let heapPeak = 0;
  let rssPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed - heap0);
    rssPeak = Math.max(rssPeak, m.rss - rss0);
  };
  const timer = setInterval(sample, 10);
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(timer);
  sample();
  global.gc?.();
  return { seconds, heapPeak, rssPeak, retained: process.memoryUsage().heapUsed - heap0 };
}

async function main(): Promise<void> {
  const pg = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'wholesail-bench-')), persistent: false, log: () => undefined });
  const orm = await MikroORM.init(ormConfig(pg.databaseUrl, { logger: () => undefined }));
  try {
    await orm.getMigrator().up();
    const em = orm.em.fork();
    const operator = Party.create({ kind: 'operator', name: 'Operator', code: 'operator' });
    const reseller = Party.create({ kind: 'reseller', name: 'Reseller', code: 'reseller', parent: operator });
    const client = Party.create({ kind: 'client', name: 'Client', code: 'client', parent: reseller });
    const item = em.create(CatalogItem, { sku: 'LIC', name: 'Licence', category: 'licence', unit: 'licence' });
    em.create(CatalogPrice, { item, currency: 'EUR', unitPrice: '4.00', effectiveFrom: new Date('2020-01-01T00:00:00Z') });
    em.persist([operator, reseller, client]);
    await em.flush();
    const config = { operatorTimeZone: 'UTC' } as AppConfig;
    const importer = new UsageImporter(orm.em, config);
    const now = new Date();
    const period = shiftPeriodId(periodContaining(now, 'UTC').id, -1);
    const currentPeriod = periodContaining(now, 'UTC').id;

    console.log(`usage import, Node ${process.version}, PostgreSQL ${pg.databaseUrl.split('@')[1]}`);
    for (const lines of SIZES) {
      let fileBytes = 0;
      const floor = await measure(async () => {
        for await (const record of readUsageFile(csv(`floor-${lines}`, lines, client.id, 'LIC', period), 'csv')) {
          if ('record' in record) usageLineProblems(record.record, { now, timeZone: 'UTC', currentPeriod });
        }
      });
      const imported = await measure(async () => {
        const batch = await importer.import(csv(`import-${lines}`, lines, client.id, 'LIC', period), { format: 'csv', createdBy: 'bench' });
        fileBytes = batch.byteCount;
        if (batch.importedCount !== lines) throw new Error(`imported ${batch.importedCount} of ${lines}: ${JSON.stringify(batch.errors)}`);
      });
      const rate = (seconds: number) => Math.round(lines / seconds).toLocaleString('en');
      console.log(
        `${lines.toLocaleString('en')} lines (${(fileBytes / MiB).toFixed(1)} MiB of CSV): import ${imported.seconds.toFixed(1)} s → ${rate(imported.seconds)} lines/s, ` +
          `peak heap +${(imported.heapPeak / MiB).toFixed(0)} MiB (after GC ${(imported.retained / MiB).toFixed(1)}), RSS +${(imported.rssPeak / MiB).toFixed(0)} MiB | floor (parse + validate, no database) ` +
          `${floor.seconds.toFixed(1)} s → ${rate(floor.seconds)} lines/s, peak heap +${(floor.heapPeak / MiB).toFixed(0)} MiB`,
      );
    }
  } finally {
    await orm.close(true);
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
