import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '@wholesail/config';
import { ormConfig } from '../mikro-orm.config';

/** Boots the ORM from validated configuration, runs `work`, closes, and exits non-zero on failure. */
export function runCli(name: string, work: (orm: MikroORM) => Promise<void>): void {
  const main = async () => {
    const config = loadConfig();
    const orm = await MikroORM.init(ormConfig(config.databaseUrl));
    try {
      await work(orm);
    } finally {
      await orm.close(true);
    }
  };
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name} failed:`, error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
