import { ApiKey } from './api-key.entity';
import { Application } from './application.entity';
import { ApprovalDecision } from './approval-decision.entity';
import { ApprovalTask } from './approval-task.entity';
import { BillingPeriod } from './billing-period.entity';
import { CommissionAgreement } from './commission-agreement.entity';
import { EmailMessage } from './email-message.entity';
import { ResellerAssignment } from './reseller-assignment.entity';
import { CatalogItem } from './catalog-item.entity';
import { CatalogPrice } from './catalog-price.entity';
import { ClientAgentCredit } from './client-agent-credit.entity';
import { ClientPriceOverride } from './client-price-override.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { Party } from './party.entity';
import { PartyStatusChange } from './party-status-change.entity';
import { PriceBookRule } from './price-book-rule.entity';
import { PriceBookVersion } from './price-book-version.entity';
import { ResourceEvent } from './resource-event.entity';
import { UsageFreeze } from './usage-freeze.entity';
import { UsageImport } from './usage-import.entity';
import { UsageLine } from './usage-line.entity';
import { ThrottleCounter } from './throttle-counter.entity';
import { User } from './user.entity';
import { BillingRun } from './billing-run.entity';
import { BillingCutLine, BillingExcludedUsage, BillingLedgerBalance, BillingRatedLine, BillingRunPage } from './billing-run-work.entity';
import { BillingDocument, BillingDocumentLine, BillingNumberCounter } from './billing-document.entity';
import { Solution } from './solution.entity';
import { DesignVersion } from './design-version.entity';
import { SolutionPolicyRecord } from './solution-policy.entity';
import { DesignShareLink } from './design-share-link.entity';
import { Host } from './host.entity';
import { CapacityReservation } from './capacity-reservation.entity';
import { Environment } from './environment.entity';
import { ProvisionedResource } from './provisioned-resource.entity';
import { ProvisioningStep } from './provisioning-step.entity';

export * from './base.entity';
export * from './party.entity';
export * from './user.entity';
export * from './api-key.entity';
export * from './idempotency-record.entity';
export * from './party-status-change.entity';
export * from './catalog-item.entity';
export * from './catalog-price.entity';
export * from './price-book-version.entity';
export * from './price-book-rule.entity';
export * from './client-price-override.entity';

export const ENTITIES = [
  Party,
  User,
  ApiKey,
  IdempotencyRecord,
  PartyStatusChange,
  CatalogItem,
  CatalogPrice,
  PriceBookVersion,
  PriceBookRule,
  ClientPriceOverride,
  Application,
  ApprovalTask,
  ApprovalDecision,
  EmailMessage,
  CommissionAgreement,
  ResellerAssignment,
  Solution,
  DesignVersion,
  SolutionPolicyRecord,
  DesignShareLink,
  Host,
  CapacityReservation,
  ClientAgentCredit,
  BillingPeriod,
  ResourceEvent,
  UsageImport,
  UsageLine,
  UsageFreeze,
  BillingRun,
  BillingRunPage,
  BillingRatedLine,
  BillingCutLine,
  BillingLedgerBalance,
  BillingExcludedUsage,
  BillingDocument,
  BillingDocumentLine,
  BillingNumberCounter,
  ThrottleCounter,
  Environment,
  ProvisionedResource,
  ProvisioningStep,
];
export * from './application.entity';
export * from './approval-task.entity';
export * from './approval-decision.entity';
export * from './email-message.entity';
export * from './commission-agreement.entity';
export * from './reseller-assignment.entity';
export * from './solution.entity';
export * from './design-version.entity';
export * from './solution-policy.entity';
export * from './design-share-link.entity';
export * from './host.entity';
export * from './capacity-reservation.entity';
export * from './client-agent-credit.entity';
export * from './billing-period.entity';
export * from './resource-event.entity';
export * from './usage-import.entity';
export * from './usage-line.entity';
export * from './usage-freeze.entity';
export * from './billing-run.entity';
export * from './billing-run-work.entity';
export * from './billing-document.entity';
export * from './throttle-counter.entity';
export * from './environment.entity';
export * from './provisioned-resource.entity';
export * from './provisioning-step.entity';
