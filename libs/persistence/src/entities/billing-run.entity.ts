import { Check, Entity, Enum, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const BILLING_RUN_MODES = ['run', 'dry-run', 'what-if'] as const;
export type BillingRunMode = (typeof BILLING_RUN_MODES)[number];

/**
 * Where a run stands. `running` until its drafts are checked; then (real runs) `awaiting-approval`,
 * `changes-requested` (waiting for a re-rate), `finalising`, `emailing`, `completed`; or it ends
 * `rejected`, `expired` (nobody decided in time) or `failed` (an invariant broke, or an error).
 * Dry runs and what-ifs end `completed` after the check, having written nothing final.
 */
export const BILLING_RUN_STATUSES = [
  'running',
  'awaiting-approval',
  'changes-requested',
  'finalising',
  'emailing',
  'completed',
  'rejected',
  'expired',
  'failed',
] as const;
export type BillingRunStatus = (typeof BILLING_RUN_STATUSES)[number];

/** The statuses of a run still under way: one such real run per period at most (a unique index). */
export const BILLING_RUN_ACTIVE_STATUSES = [
  'running',
  'awaiting-approval',
  'changes-requested',
  'finalising',
  'emailing',
] as const satisfies readonly BillingRunStatus[];

export const BILLING_RUN_PHASES = ['freeze', 'rate', 'cuts', 'drafts', 'check', 'approval', 'finalise', 'email', 'publish', 'done'] as const;
export type BillingRunPhase = (typeof BILLING_RUN_PHASES)[number];

/**
 * One month-end billing run of a period (workflow `billing-run:<period>`), or a dry run / what-if
 * of one (`billing-dry-run:<period>:<id>`). Its heavy data lives in the `billing_*` working tables
 * keyed by (run, round, page); this row holds what the API shows: status, phase, progress, totals,
 * the invariants' verdict, the failure. Written by the run's activities (libs/billing).
 */
@Entity({ tableName: 'billing_run' })
@Index({ properties: ['period', 'createdAt'] })
@Index({
  name: 'billing_run_active_unique',
  expression: `create unique index "billing_run_active_unique" on "billing_run" ("period") where "mode" = 'run' and "status" in ('running', 'awaiting-approval', 'changes-requested', 'finalising', 'emailing')`,
})
@Index({
  name: 'billing_run_completed_unique',
  expression: `create unique index "billing_run_completed_unique" on "billing_run" ("period") where "mode" = 'run' and "status" = 'completed'`,
})
@Check({ name: 'billing_run_period_check', expression: `"period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'` })
export class BillingRun {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 7 })
  period!: string;

  @Enum({ items: () => BILLING_RUN_MODES })
  mode!: BillingRunMode;

  @Property({ type: 'string', length: 200 })
  workflowId!: string;

  @Enum({ items: () => BILLING_RUN_STATUSES, default: 'running' })
  status: BillingRunStatus & Opt = 'running';

  @Enum({ items: () => BILLING_RUN_PHASES, default: 'freeze' })
  phase: BillingRunPhase & Opt = 'freeze';

  /** 1, then 2, 3, … after each "request changes" and re-rate. */
  @Property({ type: 'integer', default: 1 })
  round: number & Opt = 1;

  @Property({ type: 'integer', default: 0 })
  clientsTotal: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  clientsRated: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  documentsTotal: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  documentsFinal: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  emailsTotal: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  emailsSent: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  excludedCount: number & Opt = 0;

  @Property({ type: 'string', length: 3, nullable: true })
  currency?: string | null;

  /** The run's figures (Σ client invoices, margins, wholesale, cuts, operator net), decimal strings. */
  @Property({ type: 'json', nullable: true })
  totals?: Record<string, string> | null;

  /** The invariant check: `{ok, violations: [{invariant, message, expected, actual, subject}], checkedAt}`. */
  @Property({ type: 'json', nullable: true })
  invariants?: Record<string, unknown> | null;

  /** Each distributor's wholesale volume of the current round, by scenario: `{current: {<id>: "123.45"}, proposed?: …}` (the volume tiers' input). */
  @Property({ type: 'json', nullable: true })
  volumes?: Record<string, Record<string, string>> | null;

  /** What-if: the proposed agreement versions, as sent. */
  @Property({ type: 'json', nullable: true })
  whatIf?: Record<string, unknown> | null;

  /** Dry run and what-if: every figure (totals, payouts, documents' totals; what-if beside current terms). */
  @Property({ type: 'json', nullable: true })
  result?: Record<string, unknown> | null;

  /** Why it failed: `{code, message, violations?}`. */
  @Property({ type: 'json', nullable: true })
  failure?: Record<string, unknown> | null;

  /** Finance's latest decision: `{decision, comment, by, at, round}`. */
  @Property({ type: 'json', nullable: true })
  decision?: Record<string, unknown> | null;

  /** "user:<id>", "schedule:billing-monthly". */
  @Property({ type: 'string', length: 200 })
  startedBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}
