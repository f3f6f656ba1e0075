import { Module } from '@nestjs/common';
import { ConfigModule } from '@wholesail/config';
import { PersistenceModule } from '@wholesail/persistence';
import { ACTIVITY_CLASSES } from '../../../activities';

/** The worker's Nest context: configuration, the ORM and the activity classes (no HTTP). */
@Module({
  imports: [
    ConfigModule,
    PersistenceModule,
  ],
  providers: [...ACTIVITY_CLASSES],
})
export class WorkerModule {}
