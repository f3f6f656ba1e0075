import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule } from '@wholesail/config';
import { PersistenceModule } from '@wholesail/persistence';
import { TemporalClientModule } from '@wholesail/temporal';
import { ApplicationsModule } from './applications/applications.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { BillingModule } from './billing/billing.module';
import { AuthModule } from './auth/auth.module';
import { BrandingModule } from './branding/branding.module';
import { EmailsModule } from './emails/emails.module';
import { InvitationsModule } from './invitations/invitations.module';
import { CatalogModule } from './catalog/catalog.module';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { HealthModule } from './health/health.module';
import { EnvironmentsModule } from './environments/environments.module';
import { HostsModule } from './hosts/hosts.module';
import { PartiesModule } from './parties/parties.module';
import { PortalModule } from './portal/portal.module';
import { PricingModule } from './pricing/pricing.module';
import { SolutionsModule } from './solutions/solutions.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { UsageModule } from './usage/usage.module';

@Module({
  imports: [
    ConfigModule,
    PersistenceModule,
    TemporalClientModule,
    TenancyModule,
    AuthModule,
    HealthModule,
    PartiesModule,
    ApplicationsModule,
    ApprovalsModule,
    InvitationsModule,
    CatalogModule,
    PricingModule,
    SolutionsModule,
    HostsModule,
    UsageModule,
    EnvironmentsModule,
    BillingModule,
    BrandingModule,
    EmailsModule,
    // Last: its catch-all /portal/* route must not shadow an API route.
    PortalModule,
  ],
  providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class AppModule {}
