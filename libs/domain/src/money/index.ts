export * from './currency';
export * from './decimal';
export * from './exact';
export * from './money';
export * from './money-errors';
export * from './ratio';
