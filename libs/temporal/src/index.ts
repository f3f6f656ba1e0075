export * from './temporal-client.module';
export * from './workflow-bundle';
export * from './activity-errors';
export * from './update-refusals';
export * from './heartbeat';
