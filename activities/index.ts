import type { Type } from '@nestjs/common';
import { ApprovalTaskActivities } from './approvals/approval-task.activities';
import { BillingDocumentActivities } from './billing/billing-documents.activities';
import { BillingRunActivities } from './billing/billing-run.activities';
import { ScheduledBillingRunActivities } from './billing/scheduled-billing.activities';
import { PartnerOnboardingActivities } from './onboarding/partner-onboarding.activities';
import { PartyStatusActivities } from './parties/party-status.activities';
import { SolutionApprovalActivities } from './solutions/solution-approval.activities';
import { SolutionProvisioningActivities } from './provisioning/provisioning.activities';

export * from './parties/party-status.activities';
export * from './approvals/approval-task.activities';
export * from './approvals/approval.records';
export * from './onboarding/partner-onboarding.activities';
export * from './onboarding/onboarding.records';
export * from './mail/email-outbox.service';
export * from './billing/billing-run.activities';
export * from './billing/billing-documents.activities';
export * from './billing/scheduled-billing.activities';
export * from './solutions/solution-approval.activities';
export * from './provisioning/provisioning.activities';

/** Every Nest-built activity class. The worker binds each class's methods into its activity map. */
export const ACTIVITY_CLASSES: Type<object>[] = [
  PartyStatusActivities,
  ApprovalTaskActivities,
  PartnerOnboardingActivities,
  SolutionApprovalActivities,
  SolutionProvisioningActivities,
  BillingRunActivities,
  BillingDocumentActivities,
  ScheduledBillingRunActivities,
];

/** Binds the public methods of activity instances into a name → function map. */
export function bindActivities(instances: object[]): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const activities: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const instance of instances) {
    const proto = Object.getPrototypeOf(instance) as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const member = (instance as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof member !== 'function') continue;
      if (activities[name]) throw new Error(`activity name ${name} is defined twice (${proto.constructor.name})`);
      activities[name] = (member as (...args: unknown[]) => Promise<unknown>).bind(instance);
    }
  }
  return activities;
}
