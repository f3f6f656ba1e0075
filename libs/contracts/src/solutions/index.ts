export * from './solution-approval.contract';
export * from './solution-approval.messages';
export * from './solution-activities.contract';
