import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@wholesail/config';
import { ormConfig } from '@wholesail/persistence';
import { ACTIVITY_CLASSES } from '../../../activities';

/** The worker's Nest context: configuration, the ORM and the activity classes (no HTTP). */
@Module({
  imports: [
    ConfigModule,
    MikroOrmModule.forRootAsync({
      driver: PostgreSqlDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ormConfig(config.databaseUrl, { pool: { min: 0, max: config.databasePoolMax } }),
    }),
  ],
  providers: [...ACTIVITY_CLASSES],
})
export class WorkerModule {}
