export * from './approvals';
export * from './billing';
export * from './errors';
export * from './money';
export * from './parties';
export * from './pricing';
export * from './hosts';
export * from './versioning';
