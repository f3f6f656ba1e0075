import { Module } from '@nestjs/common';
import { UsageModule as UsageLibraryModule } from '@wholesail/usage';
import { UsageEventsController } from './usage-events.controller';
import { UsageEventsService } from './usage-events.service';
import { UsageImportsController } from './usage-imports.controller';

@Module({ imports: [UsageLibraryModule], controllers: [UsageEventsController, UsageImportsController], providers: [UsageEventsService] })
export class UsageModule {}
