export * from './billing-periods.service';
export * from './billing.module';
export * from './documents/billing-document-reader.service';
export * from './run/billing-check.service';
export * from './run/billing-cuts.service';
export * from './run/billing-numbering.service';
export * from './run/billing-rating.service';
export * from './run/billing-runs.service';
