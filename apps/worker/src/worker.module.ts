import { Module } from '@nestjs/common';
import { ConfigModule } from '@wholesail/config';
import { PersistenceModule } from '@wholesail/persistence';
import { MailModule } from '@wholesail/mail';
import { PartyWritesModule } from '@wholesail/parties';
import { DesignsModule } from '@wholesail/designs';
import { ACTIVITY_CLASSES, ApprovalRecords, EmailOutbox, OnboardingRecords } from '../../../activities';

/** The worker's Nest context: configuration, the ORM, mail, the partner network's and the designs' writers and the activity classes (no HTTP). */
@Module({
  imports: [ConfigModule, PersistenceModule, MailModule, PartyWritesModule, DesignsModule],
  providers: [EmailOutbox, ApprovalRecords, OnboardingRecords, ...ACTIVITY_CLASSES],
})
export class WorkerModule {}
