export * from './party';
export * from './roles';
export * from './tenancy';
export * from './tax-id';
export * from './partner-rules';
