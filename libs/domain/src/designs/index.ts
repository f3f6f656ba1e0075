export * from './bill-of-materials';
export * from './design-catalog';
export * from './design-errors';
export * from './design-graph';
export * from './design-validation';
export * from './ipv4';
export * from './solution-policy';
export * from './solution-status';
