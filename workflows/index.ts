// Every workflow the worker registers. Workflow code is deterministic: see eslint.config.mjs.
export * from './parties/change-party-status.workflow';
export * from './onboarding/partner-onboarding.workflow';
export * from './mail/applicant-email.workflow';
