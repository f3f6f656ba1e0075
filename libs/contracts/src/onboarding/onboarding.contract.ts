import type { ApprovalMode, FieldProblem } from '@wholesail/domain';

/** Workflow type name as registered by the worker (the exported function name). */
export const ONBOARDING_WORKFLOW = 'partnerOnboarding';

/** Business-key workflow ID: one process per application, so a repeated submit starts nothing new. */
export function onboardingWorkflowId(applicationId: string): string {
  return `onboarding:${applicationId}`;
}

/** A sub-reseller is a reseller with a `parentResellerId`. */
export const ONBOARDING_KINDS = ['distributor', 'reseller', 'agent'] as const;
export type OnboardingKind = (typeof ONBOARDING_KINDS)[number];

export const ONBOARDING_STATUSES = [
  'checking',
  'awaiting-sponsor',
  'awaiting-operator',
  'changes-requested',
  'approved',
  'provisioning',
  'active',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

export const ONBOARDING_FINAL_STATUSES = ['active', 'rejected', 'withdrawn', 'expired'] as const satisfies readonly OnboardingStatus[];
export type OnboardingFinalStatus = (typeof ONBOARDING_FINAL_STATUSES)[number];

/** While these last the applicant may withdraw; from 'approved' on it is too late. */
export const ONBOARDING_WITHDRAWABLE_STATUSES = [
  'checking',
  'awaiting-sponsor',
  'awaiting-operator',
  'changes-requested',
] as const satisfies readonly OnboardingStatus[];

/** The human steps, as `stepKey` of their approval tasks; 'resubmission' is the applicant's wait. */
export type OnboardingStep = 'sponsor' | 'operator' | 'resubmission';

export type SponsorRole = 'distributor-admin' | 'reseller-admin';

/**
 * Bounds of every wait, as Temporal-style duration strings ("3 days", "1s" in tests): a reminder
 * every `reminderEvery`, expiry `expiresAfter` after the wait began.
 */
export interface OnboardingTimings {
  reminderEvery: string;
  expiresAfter: string;
}

export interface PartnerOnboardingInput {
  applicationId: string;
  kind: OnboardingKind;
  /** Shown in inbox titles; the application id when absent. */
  applicantName?: string;
  /** The recruiting distributor (reseller, agent) or the parent reseller (sub-reseller); no sponsor step without it. */
  sponsorPartyId?: string;
  /** For a sub-reseller: the reseller it will sit under. */
  parentResellerId?: string;
  /** Who confirms for the sponsor; by default reseller-admin for a sub-reseller, else distributor-admin. */
  sponsorPolicy?: { role: SponsorRole };
  operatorPartyId: string;
  /** operator-admins at the operator: 'any' one of them, or 'all' of `approverIds` (all current operator-admins when absent). */
  operatorPolicy: { mode: ApprovalMode; approverIds?: string[] };
  timings: OnboardingTimings;
  /** Passes through the approval steps before the application is rejected; 10 by default. */
  maxRounds?: number;
}

export const DEFAULT_ONBOARDING_MAX_ROUNDS = 10;

export function sponsorRoleFor(input: Pick<PartnerOnboardingInput, 'sponsorPolicy' | 'parentResellerId'>): SponsorRole {
  return input.sponsorPolicy?.role ?? (input.parentResellerId ? 'reseller-admin' : 'distributor-admin');
}

/** The fields an applicant may correct when changes were requested (all optional: only what changes). */
export interface ApplicationChanges {
  name?: string;
  contactName?: string;
  email?: string;
  taxId?: string;
  billingEmail?: string | null;
  branding?: { logoUrl?: string; primaryColor?: string; accentColor?: string } | null;
}

export interface ApplicationStatusView {
  applicationId: string;
  status: OnboardingStatus;
  round: number;
  /** Why it ended (rejected, withdrawn, expired). */
  reason?: string;
  /** What the automatic checks found, when they rejected it. */
  problems?: FieldProblem[];
  /** The open request for changes while status is 'changes-requested'. */
  changesRequested?: { comment: string; by: string; at: string; respondBy: string };
  partyId?: string;
  /** ISO 8601, workflow time of the last status change. */
  updatedAt: string;
}

export interface PartnerOnboardingResult {
  applicationId: string;
  status: OnboardingFinalStatus;
  rounds: number;
  reason?: string;
  partyId?: string;
  adminUserId?: string;
}

export interface WithdrawInput {
  /** Who withdrew, e.g. "applicant" or "user:<id>". */
  by: string;
  reason?: string;
}

export interface ResubmitInput {
  by: string;
  changes: ApplicationChanges;
  comment?: string;
}

/** Refusals of the onboarding updates (the failure's `type`). */
export const OnboardingErrorCode = {
  /** Withdraw after approval, or once the process has ended. */
  AlreadyFinished: 'ONBOARDING_ALREADY_FINISHED',
  /** Resubmit while no changes were requested. */
  NotAwaitingChanges: 'ONBOARDING_NOT_AWAITING_CHANGES',
  /** A workflow input that cannot run (bad durations, a sponsor-less sponsor policy, …): the start fails. */
  InvalidInput: 'ONBOARDING_INVALID_INPUT',
} as const;
export type OnboardingErrorCode = (typeof OnboardingErrorCode)[keyof typeof OnboardingErrorCode];
