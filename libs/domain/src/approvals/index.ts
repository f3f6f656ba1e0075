export * from './approval-errors';
export * from './approval-policy';
export * from './approval-task';
export * from './duration';
