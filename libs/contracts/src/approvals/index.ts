export * from './approval-task.contract';
export * from './approval.messages';
