// Every workflow the worker registers. Workflow code is deterministic: see eslint.config.mjs.
export * from './parties/change-party-status.workflow';
export * from './onboarding/partner-onboarding.workflow';
export * from './billing/billing-run.workflow';
export * from './billing/scheduled-billing-run.workflow';
export * from './mail/applicant-email.workflow';
export * from './solutions/solution-approval.workflow';
export * from './provisioning/provision-solution.workflow';
export * from './provisioning/resize-solution.workflow';
export * from './provisioning/deprovision-solution.workflow';
