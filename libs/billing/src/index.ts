export * from './billing-periods.service';
export * from './billing.module';
