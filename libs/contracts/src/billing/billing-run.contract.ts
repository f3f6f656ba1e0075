import type { FieldProblem, LedgerViolation } from '@wholesail/domain';

/** Workflow type names as registered by the worker (the exported function names). */
export const BILLING_RUN_WORKFLOW = 'billingRun';
export const SCHEDULED_BILLING_RUN_WORKFLOW = 'scheduledBillingRun';

/** The Temporal Schedule that starts the previous month's run on the 1st of each month (OPERATOR_TIMEZONE). */
export const BILLING_SCHEDULE_ID = 'billing-monthly';

/** Business key of a period's run: one run under way per period, so a repeated start starts nothing new. */
export function billingRunWorkflowId(period: string): string {
  return `billing-run:${period}`;
}

/** A dry run or what-if never blocks nor replaces the period's run: its own key. */
export function billingDryRunWorkflowId(period: string, runId: string): string {
  return `billing-dry-run:${period}:${runId}`;
}

/** The approval step's business key (task ids derive from it): per run, so a new run of a rejected period asks anew. */
export function billingApprovalKey(period: string, runId: string): string {
  return `billing-run:${period}:${runId}`;
}

export const BILLING_RUN_MODES = ['run', 'dry-run', 'what-if'] as const;
export type BillingRunModeName = (typeof BILLING_RUN_MODES)[number];

export type BillingRunStatusName =
  'running' | 'awaiting-approval' | 'changes-requested' | 'finalising' | 'emailing' | 'completed' | 'rejected' | 'expired' | 'failed';

export type BillingRunPhaseName = 'freeze' | 'rate' | 'cuts' | 'drafts' | 'check' | 'approval' | 'finalise' | 'email' | 'publish' | 'done';

/** Where a run stands; carried across continue-as-new, so history stays small at any number of clients. */
export interface BillingRunState {
  status: BillingRunStatusName;
  phase: BillingRunPhaseName;
  /** 1, then 2, 3, … after each "request changes" and re-rate. */
  round: number;
  /** The next page of clients to rate or cut (1-based), and the last client id of the page before it. */
  page: number;
  cursor: string | null;
  /** Pages the rating produced this round. */
  pages: number;
  clientsRated: number;
  clientsTotal: number;
  documentsTotal: number;
  documentsFinal: number;
  /** Numbering walks issuers in id order; e-mail walks documents in id order. */
  issuerCursor: string | null;
  emailCursor: string | null;
  emailsSent: number;
  emailsTotal: number;
}

export interface BillingRunTimings {
  /** Temporal-style durations ("1 day", "2s"): finance is reminded every `reminderEvery`; the approval (and the wait for a re-rate) expires after `expiresAfter`. */
  reminderEvery: string;
  expiresAfter: string;
}

export interface BillingRunInput {
  /** The `billing_run` row the API (or the schedule) created. */
  runId: string;
  period: string;
  mode: BillingRunModeName;
  operatorPartyId: string;
  timings: BillingRunTimings;
  /** Clients per page (each page is one activity of set-based SQL). */
  pageSize: number;
  /** Documents e-mailed at once. */
  emailConcurrency: number;
  /** Paged activities before the run continues as new (default BILLING_PAGES_PER_RUN, 40). */
  pagesPerRun?: number;
  /** Set when the run continues as new. */
  resume?: BillingRunState;
}

export interface BillingRunResult {
  runId: string;
  period: string;
  status: BillingRunStatusName;
  rounds: number;
  reason?: string;
}

/** What `runProgress` answers (and `GET /billing/runs/{period}` shows, from the database). */
export interface BillingRunProgress extends BillingRunState {
  runId: string;
  period: string;
  mode: BillingRunModeName;
}

export interface RerateInput {
  /** "user:<id>". */
  by: string;
  comment?: string;
}

// ── activities ───────────────────────────────────────────────────────────────────────────────

export interface BillingRunRef {
  runId: string;
}

export interface RoundRef extends BillingRunRef {
  round: number;
}

export interface StartRoundResult {
  clientsTotal: number;
  currency: string;
}

export interface FreezeUsageResult {
  eventCount: number;
  lineCount: number;
  alreadyFrozen: boolean;
}

export interface RatePageInput extends RoundRef {
  page: number;
  /** Rate the clients after this id (id order); null for the first page. */
  afterClientId: string | null;
  pageSize: number;
}

export interface RatePageResult {
  page: number;
  /** 0: no client left (the page was not written). */
  clients: number;
  ratedLines: number;
  /** Client and wholesale invoice lines drafted from them. */
  documentLines: number;
  excluded: number;
  lastClientId: string | null;
}

export interface CutPageInput extends RoundRef {
  page: number;
}

export interface CutPageResult {
  page: number;
  cutLines: number;
  /** Broken invariants on the page's own ledger (the page is written; the run's check fails on them). */
  violations: number;
}

export interface DraftsResult {
  documents: number;
}

export interface CheckResult {
  ok: boolean;
  /** The first violations (at most 20), naming the invariant, the subject and both amounts. */
  violations: LedgerViolation[];
  violationCount: number;
  totals: Record<string, string>;
}

export interface SetRunStatusInput extends BillingRunRef {
  status: BillingRunStatusName;
  phase: BillingRunPhaseName;
  round: number;
  /** Finance's decision that led here. */
  decision?: { decision: string; comment: string | null; by: string; at: string };
  failure?: { code: string; message: string; violations?: LedgerViolation[]; fields?: FieldProblem[] };
}

export interface NumberDocumentsInput extends RoundRef {
  /** Number the drafts of issuers after this id (id order); null first. */
  afterIssuerId: string | null;
  /** Issuers per call. */
  limit: number;
}

export interface NumberDocumentsResult {
  issuers: number;
  numbered: number;
  lastIssuerId: string | null;
  documentsFinal: number;
}

export interface EmailPageInput extends RoundRef {
  afterDocumentId: string | null;
  limit: number;
}

export interface EmailPageResult {
  documentIds: string[];
  lastDocumentId: string | null;
  emailsTotal: number;
}

export interface EmailsSentInput extends BillingRunRef {
  emailsSent: number;
}

/**
 * The billing run's own activities (activities/billing, over libs/billing); with the approval
 * step's (ApprovalActivities) and the e-mail activity (BillingEmailActivities). Names are part of
 * saved histories: never rename one. Each is idempotent: keyed by (run, round, page) or (run,
 * round, issuer range), it replaces what an earlier attempt of the same key wrote.
 */
export interface BillingRunOwnActivities {
  /** Starts a round: status running; older rounds' rows and the period's other drafts go (drafts are replaced); counts the clients. */
  startBillingRound(input: RoundRef): Promise<StartRoundResult>;
  /** Freezes the period's usage (real runs): what arrives later is billed by the next run. */
  freezeBillingUsage(input: BillingRunRef): Promise<FreezeUsageResult>;
  /** Rates one page of clients with the pricing engine at every tier; writes its rated lines and excluded usage. */
  rateBillingPage(input: RatePageInput): Promise<RatePageResult>;
  /** Each distributor's volume of the round (for the volume tiers), stored with the run. */
  computeBillingVolumes(input: RoundRef): Promise<{ distributors: number }>;
  /** One page's cuts (with the run's volumes), its ledger (checked on its own) and its client and wholesale invoice lines. */
  cutBillingPage(input: CutPageInput): Promise<CutPageResult>;
  /** Payout invoices per distributor and agent, and every draft's totals. */
  finishBillingDrafts(input: RoundRef): Promise<DraftsResult>;
  /** The ledger invariants over the whole run, against the drafts' totals; the verdict is stored with the run. */
  checkBillingRun(input: RoundRef): Promise<CheckResult>;
  /** Dry run and what-if: every figure into the run's result (beside the current terms for a what-if). */
  summariseBillingRun(input: RoundRef): Promise<void>;
  setBillingRunStatus(input: SetRunStatusInput): Promise<void>;
  /** Numbers the drafts of a range of issuers, gap-free per issuer and series, in one transaction; final from then on. */
  numberBillingDocuments(input: NumberDocumentsInput): Promise<NumberDocumentsResult>;
  /** Marks the period finalised (every document is numbered). */
  finaliseBillingPeriod(input: BillingRunRef): Promise<void>;
  /** The next page of the run's final documents with somewhere to send them. */
  listBillingDocumentsToEmail(input: EmailPageInput): Promise<EmailPageResult>;
  recordBillingEmailsSent(input: EmailsSentInput): Promise<void>;
}

export interface ScheduledBillingRunInput {
  /** Filled by the schedule's action: empty (the period is the month before the workflow's start time in OPERATOR_TIMEZONE). */
  period?: string;
}

export interface StartScheduledRunResult {
  runId: string | null;
  period: string;
  /** `started`, or why not: `already-finalised`, `already-running`. */
  outcome: 'started' | 'already-finalised' | 'already-running';
}

export interface ScheduledBillingActivities {
  /** Creates the run of the month before `at` (OPERATOR_TIMEZONE) and starts its workflow, as the API does. */
  startScheduledBillingRun(input: { at: string; period?: string }): Promise<StartScheduledRunResult>;
}
