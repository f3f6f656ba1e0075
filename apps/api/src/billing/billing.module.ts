import { Module } from '@nestjs/common';
import { BillingModule as BillingLibraryModule } from '@wholesail/billing';
import { BillingDocumentsController } from './billing-documents.controller';
import { BillingDocumentsService } from './billing-documents.service';
import { BillingRunsController } from './billing-runs.controller';
import { BillingRunsService } from './billing-runs.service';

@Module({
  imports: [BillingLibraryModule],
  controllers: [BillingRunsController, BillingDocumentsController],
  providers: [BillingRunsService, BillingDocumentsService],
})
export class BillingModule {}
