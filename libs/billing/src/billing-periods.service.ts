import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { assertFinalisable, billingPeriod, BillingRunErrorCode, DomainError } from '@wholesail/domain';
import { BillingPeriod, lockBillingPeriods, type BillingPeriodStatus } from '@wholesail/persistence';

/**
 * The one writer of billing periods' status. A period without a row is open; the billing run
 * finalises a period when finance has approved it, and from then on nothing in it changes: the
 * database refuses to change the row again (trigger `billing_period_finalised_is_final`), and
 * EffectiveDatePolicy keeps every versioned write at or after the start of the next period.
 */
@Injectable()
export class BillingPeriods {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A period's status (`open` when it has no row). */
  async status(em: EntityManager, periodId: string): Promise<BillingPeriodStatus> {
    const id = billingPeriod(periodId, this.config.operatorTimeZone).id;
    return (await em.findOne(BillingPeriod, { period: id }, { refresh: true }))?.status ?? 'open';
  }

  /**
   * Finalises a period that has ended, the one after the latest finalised (periods are finalised in
   * order), recording who and when. Idempotent: finalising a finalised period returns it as it is,
   * so a retried activity succeeds. Runs in its own transaction, or a savepoint of the caller's,
   * holding the billing-period lock exclusively: a versioned write running concurrently either
   * commits first (and is part of the period) or is refused after this commits.
   *
   * @param by who finalises: "user:<id>", "workflow:billing-run:2026-10", …
   */
  async finalise(em: EntityManager, periodId: string, by: string, now = new Date()): Promise<BillingPeriod> {
    const period = billingPeriod(periodId, this.config.operatorTimeZone);
    return em.transactional(async (tx) => {
      await lockBillingPeriods(tx, 'exclusive');
      const existing = await tx.findOne(BillingPeriod, { period: period.id }, { refresh: true });
      if (existing?.status === 'finalised') return existing;
      const latest = await tx.findOne(BillingPeriod, { status: 'finalised' }, { orderBy: { period: 'desc' }, refresh: true });
      assertFinalisable(period.id, latest?.period ?? null, now, this.config.operatorTimeZone);
      const row = existing ?? tx.create(BillingPeriod, { period: period.id });
      row.status = 'finalised';
      row.finalisedAt = now;
      row.finalisedBy = by;
      await tx.flush();
      return row;
    });
  }

  /**
   * Records where the period's billing run stands (`running`, `draft`, `awaiting-approval`). A
   * finalised period is refused with BILLING_PERIOD_FINALISED (409): it never changes.
   */
  async setRunState(em: EntityManager, periodId: string, status: Exclude<BillingPeriodStatus, 'open' | 'finalised'>): Promise<void> {
    const id = billingPeriod(periodId, this.config.operatorTimeZone).id;
    const rows: Array<{ status: string }> = await em.execute(
      `insert into billing_period (period, status, created_at, updated_at) values (?, ?, now(), now())
       on conflict (period) do update set status = excluded.status, updated_at = now() where billing_period.status <> 'finalised'
       returning status`,
      [id, status],
    );
    if (rows.length === 0) throw periodFinalised(id);
  }
}

/** A finalised period never runs again: corrections are credit notes issued by a later run. */
export function periodFinalised(period: string): DomainError {
  return DomainError.conflict(
    BillingRunErrorCode.PeriodFinalised,
    `billing period ${period} is finalised: it never changes (corrections are credit notes in a later run)`,
    [{ field: 'period', problem: 'is finalised' }],
  );
}
