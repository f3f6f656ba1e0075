import { Module } from '@nestjs/common';
import { ConfigModule } from '@wholesail/config';
import { PersistenceModule } from '@wholesail/persistence';
import { MailModule } from '@wholesail/mail';
import { PartyWritesModule } from '@wholesail/parties';
import { DesignsModule } from '@wholesail/designs';
import { BillingModule } from '@wholesail/billing';
import { TemporalClientModule } from '@wholesail/temporal';
import { ACTIVITY_CLASSES, ApprovalRecords, EmailOutbox, OnboardingRecords } from '../../../activities';

/** The worker's Nest context: configuration, the ORM, mail, the partner network's and the designs' writers, billing and the activity classes (no HTTP). */
@Module({
  imports: [ConfigModule, PersistenceModule, MailModule, PartyWritesModule, DesignsModule, TemporalClientModule, BillingModule],
  providers: [EmailOutbox, ApprovalRecords, OnboardingRecords, ...ACTIVITY_CLASSES],
})
export class WorkerModule {}
