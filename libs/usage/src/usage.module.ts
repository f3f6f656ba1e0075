import { Module } from '@nestjs/common';
import { UsageFreezer } from './usage-freezer';
import { UsageImporter } from './usage-importer';
import { UsageReader } from './usage-reader';
import { UsageRecorder } from './usage-recorder';

/**
 * Recording, importing, freezing and reading usage: the one writer of resource events and usage
 * lines, for the API and for activities (provisioning records through UsageRecorder; the billing
 * run freezes and reads). Needs the ORM (PersistenceModule) and ConfigModule (global).
 */
@Module({
  providers: [UsageRecorder, UsageImporter, UsageFreezer, UsageReader],
  exports: [UsageRecorder, UsageImporter, UsageFreezer, UsageReader],
})
export class UsageModule {}
