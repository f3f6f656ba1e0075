export * from './onboarding.contract';
export * from './onboarding.messages';
export * from './onboarding-activities.contract';
