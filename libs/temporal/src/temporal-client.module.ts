import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * A lazily connected Temporal client: the API boots (and reports Temporal as down on /health)
 * even while the cluster is unreachable; the first call connects.
 */
@Injectable()
export class TemporalConnectionHolder implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = Connection.lazy({ address: config.temporal.address });
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    TemporalConnectionHolder,
    { provide: TEMPORAL_CLIENT, useFactory: (holder: TemporalConnectionHolder) => holder.client, inject: [TemporalConnectionHolder] },
  ],
  exports: [TEMPORAL_CLIENT, TemporalConnectionHolder],
})
export class TemporalClientModule {}
