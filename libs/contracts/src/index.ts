export * from './task-queues';
export * from './approvals';
export * from './onboarding';
export * from './parties';
export * from './billing';
export * from './mail';
export * from './solutions';
export * from './provisioning';
