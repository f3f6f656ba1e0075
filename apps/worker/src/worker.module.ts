import { Module } from '@nestjs/common';
import { ConfigModule } from '@wholesail/config';
import { PersistenceModule } from '@wholesail/persistence';
import { MailModule } from '@wholesail/mail';
import { PartyWritesModule } from '@wholesail/parties';
import { DesignsModule } from '@wholesail/designs';
import { ProvisioningModule } from '@wholesail/provisioning';
import { UsageModule } from '@wholesail/usage';
import { ACTIVITY_CLASSES, ApprovalRecords, EmailOutbox, OnboardingRecords } from '../../../activities';

/** The worker's Nest context: configuration, the ORM, mail, the writers of the partner network, designs and environments (with hosts), usage, and the activity classes (no HTTP). */
@Module({
  imports: [ConfigModule, PersistenceModule, MailModule, PartyWritesModule, DesignsModule, ProvisioningModule, UsageModule],
  providers: [EmailOutbox, ApprovalRecords, OnboardingRecords, ...ACTIVITY_CLASSES],
})
export class WorkerModule {}
