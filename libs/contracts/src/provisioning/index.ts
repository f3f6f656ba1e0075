export * from './provisioning.contract';
export * from './provisioning.messages';
export * from './provisioning-activities.contract';
