import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { ormConfig } from './mikro-orm.config';

/** The ORM for a Nest process (API or worker), configured from the validated AppConfig. */
export const PersistenceModule = MikroOrmModule.forRootAsync({
  driver: PostgreSqlDriver,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ormConfig(config.databaseUrl, { pool: { min: 0, max: config.databasePoolMax } }),
});
