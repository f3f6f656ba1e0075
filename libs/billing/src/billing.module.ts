import { Module } from '@nestjs/common';
import { BillingPeriods } from './billing-periods.service';

/** Billing's services over persistence. Needs the ORM (PersistenceModule) and the configuration (ConfigModule, global). */
@Module({ providers: [BillingPeriods], exports: [BillingPeriods] })
export class BillingModule {}
