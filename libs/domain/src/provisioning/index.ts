export * from './environment';
export * from './plan';
export * from './plan-diff';
export * from './plan-from-design';
export * from './progress';
export * from './provisioning-errors';
export * from './usage-events';
