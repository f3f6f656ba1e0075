export * from './entities';
export * from './mikro-orm.config';
export * from './migrations';
export * from './seeders/demo-data';
export * from './pricing/pricing-context.loader';
export * from './persistence.module';
export * from './parties/party-tree-lock';
export * from './idempotency/idempotency-claims';
