export * from './party';
export * from './roles';
export * from './tenancy';
