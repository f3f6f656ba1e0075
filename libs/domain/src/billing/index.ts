export * from './finalised-period-errors';
export * from './finalised-periods';
export * from './period';
