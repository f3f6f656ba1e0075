// Provisioning's services: the one writer of environments (activities), reads for the API, the workflow starter, fault injection for tests.
export * from './environment-records.service';
export * from './provisioning-faults';
export * from './usage-transaction';
export * from './provisioning-starter';
export * from './environment-views.service';
export * from './provisioning.module';
