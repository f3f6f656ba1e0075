export * from './approval-task.contract';
export * from './approval.messages';
export * from './approval-activities.contract';
