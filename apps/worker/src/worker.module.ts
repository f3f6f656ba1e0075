import { Module } from '@nestjs/common';
import { ConfigModule } from '@wholesail/config';
import { PersistenceModule } from '@wholesail/persistence';
import { MailModule } from '@wholesail/mail';
import { PartyWritesModule } from '@wholesail/parties';
import { DesignsModule } from '@wholesail/designs';
import { BillingDocumentReader, BillingModule } from '@wholesail/billing';
import { BillingDocumentSource, BillingDocumentsModule } from '@wholesail/billing-documents';
import { ProvisioningModule } from '@wholesail/provisioning';
import { TemporalClientModule } from '@wholesail/temporal';
import { UsageModule } from '@wholesail/usage';
import { ACTIVITY_CLASSES, ApprovalRecords, EmailOutbox, OnboardingRecords } from '../../../activities';

/**
 * The worker's Nest context: configuration, the ORM, mail, the writers of the partner network and
 * designs, environments (with hosts), usage, billing, the billing documents' renderer and pooled
 * sender, and the activity classes (no HTTP).
 */
@Module({
  imports: [
    ConfigModule,
    PersistenceModule,
    MailModule,
    PartyWritesModule,
    DesignsModule,
    ProvisioningModule,
    UsageModule,
    TemporalClientModule,
    BillingModule,
    BillingDocumentsModule,
  ],
  providers: [
    EmailOutbox,
    ApprovalRecords,
    OnboardingRecords,
    // The billing e-mails read final documents (header, then lines a page at a time) from billing's reader.
    { provide: BillingDocumentSource, useExisting: BillingDocumentReader },
    ...ACTIVITY_CLASSES,
  ],
})
export class WorkerModule {}
