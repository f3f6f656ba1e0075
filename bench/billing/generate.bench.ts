/**
 * Writes the channel (100k clients, 2,000 resellers, 50 distributors, 500 agents, 1M
 * usage events) into a throwaway PostgreSQL and prints how long it took and what was written.
 * `npm run build && node dist/bench/billing/generate.bench.js`.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { startPostgres } from '@wholesail/devstack';
import { ormConfig } from '@wholesail/persistence';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateChannel } from './channel-generator';

async function main(): Promise<void> {
  const pg = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'wholesail-bench-channel-')), persistent: false, log: () => undefined });
  try {
    const orm = await MikroORM.init(ormConfig(pg.databaseUrl, { logger: () => undefined }));
    await orm.getMigrator().up();
    await orm.close(true);
    const channel = await generateChannel(pg.databaseUrl, '2026-10');
    console.log(`channel for ${channel.period} written in ${channel.seconds.toFixed(1)} s: ${JSON.stringify(channel.counts)}`);
  } finally {
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
