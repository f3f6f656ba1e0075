import { Module } from '@nestjs/common';
import { UsageModule } from '@wholesail/usage';
import { BillingPeriods } from './billing-periods.service';
import { BillingDocumentReader } from './documents/billing-document-reader.service';
import { BillingExplainer } from './documents/billing-explainer.service';
import { BillingCheck } from './run/billing-check.service';
import { BillingCuts } from './run/billing-cuts.service';
import { BillingNumbering } from './run/billing-numbering.service';
import { BillingRating } from './run/billing-rating.service';
import { BillingRunStarter } from './run/billing-run-starter.service';
import { BillingRuns } from './run/billing-runs.service';

const SERVICES = [
  BillingPeriods,
  BillingRuns,
  BillingRating,
  BillingCuts,
  BillingCheck,
  BillingNumbering,
  BillingDocumentReader,
  BillingExplainer,
  BillingRunStarter,
];

/**
 * Billing's services over persistence, for the API and the billing run's activities. Needs the ORM
 * (PersistenceModule), the configuration (ConfigModule) and the Temporal client (TemporalClientModule), all global.
 */
@Module({ imports: [UsageModule], providers: SERVICES, exports: [...SERVICES, UsageModule] })
export class BillingModule {}
