/**
 * Codes of provisioning (PROVISIONING_*) and of the environments it builds (ENVIRONMENT_*), stable
 * for the API's exception filter and for the workflows, which see them as failure types.
 */
export const ProvisioningErrorCode = {
  /** A provisioning plan that is malformed or inconsistent; the fields say where. */
  InvalidPlan: 'PROVISIONING_INVALID_PLAN',
  /** No environment exists for the solution (or the caller may not see it). */
  EnvironmentNotFound: 'ENVIRONMENT_NOT_FOUND',
  /** Another provisioning, resize or deprovisioning of the solution is running. */
  EnvironmentBusy: 'ENVIRONMENT_BUSY',
  /** The solution already runs another design version: apply a new version as a resize. */
  AlreadyProvisioned: 'ENVIRONMENT_ALREADY_PROVISIONED',
  /** A resize needs a running environment. */
  NotRunning: 'ENVIRONMENT_NOT_RUNNING',
  /** The plan belongs to another client or reseller than the environment. */
  PlanMismatch: 'ENVIRONMENT_PLAN_MISMATCH',
  /** The chosen host offers no template for a VM template SKU of the plan. */
  TemplateMissing: 'PROVISIONING_TEMPLATE_MISSING',
  /** A change a resize cannot apply in place (a VM's template, a disk that would shrink). */
  UnsupportedChange: 'PROVISIONING_UNSUPPORTED_CHANGE',
  /** The caller may not change this environment. */
  Forbidden: 'ENVIRONMENT_FORBIDDEN',
  /** A failure injected by PROVISIONING_FAULTS (NODE_ENV=test only). */
  InjectedFault: 'PROVISIONING_INJECTED_FAULT',
} as const;
export type ProvisioningErrorCode = (typeof ProvisioningErrorCode)[keyof typeof ProvisioningErrorCode];
