import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@wholesail/config';
import { ormConfig } from '@wholesail/persistence';
import { TemporalClientModule } from '@wholesail/temporal';
import { AuthModule } from './auth/auth.module';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { HealthModule } from './health/health.module';
import { PartiesModule } from './parties/parties.module';
import { TenancyModule } from './tenancy/tenancy.module';

@Module({
  imports: [
    ConfigModule,
    MikroOrmModule.forRootAsync({
      driver: PostgreSqlDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ormConfig(config.databaseUrl, { pool: { min: 0, max: config.databasePoolMax } }),
    }),
    TemporalClientModule,
    TenancyModule,
    AuthModule,
    HealthModule,
    PartiesModule,
  ],
  providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class AppModule {}
