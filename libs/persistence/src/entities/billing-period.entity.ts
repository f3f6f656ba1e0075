import { Check, Entity, Enum, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The states a billing period row may hold. Stored as text under a check constraint
 * (`billing_period_status_check`, MikroORM's non-native enum), not a native enum type, so that the
 * billing run adds a state (`running`, `draft`, …) by adding it here and generating a migration
 * that replaces the constraint, inside a transaction.
 */
export const BILLING_PERIOD_STATUSES = ['open', 'running', 'draft', 'awaiting-approval', 'finalised'] as const;
export type BillingPeriodStatus = (typeof BILLING_PERIOD_STATUSES)[number];

/**
 * `running`: a billing run is rating it; `draft`: its drafts are ready (or were rejected, waiting for
 * a new run); `awaiting-approval`: finance is asked to approve them (set by the billing run).
 *
 * A billing period (a calendar month in the operator's time zone, `YYYY-MM`) and how far its
 * billing has come. A period without a row is open. `finalised` is final: the database refuses to
 * change or delete a finalised row (trigger `billing_period_finalised_is_final`), and
 * EffectiveDatePolicy keeps every versioned write out of it. Written by `BillingPeriods`
 * (libs/billing) only.
 */
@Entity({ tableName: 'billing_period' })
@Check({ name: 'billing_period_period_check', expression: `"period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'` })
@Check({
  name: 'billing_period_finalised_check',
  expression: `("status" = 'finalised') = ("finalised_at" is not null and "finalised_by" is not null)`,
})
export class BillingPeriod {
  /** "2026-10" */
  @PrimaryKey({ type: 'string', length: 7 })
  period!: string;

  @Enum({ items: () => BILLING_PERIOD_STATUSES, default: 'open' })
  status: BillingPeriodStatus & Opt = 'open';

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finalisedAt?: Date | null;

  /** "user:<id>", "workflow:billing-run:2026-10", … */
  @Property({ type: 'string', length: 200, nullable: true })
  finalisedBy?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
