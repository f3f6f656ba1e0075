import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { assertNotBefore, billingPeriod, editableFrom, type EarliestAllowed, type VersionRefusal } from '@wholesail/domain';
import { lockBillingPeriods } from '../billing/billing-period-lock';
import { BillingPeriod } from '../entities/billing-period.entity';

/**
 * How far back a versioned record (commission agreement, wholesale price, price book, client
 * override, reseller assignment, agent credit, and the end of one or a catalog retirement) may take
 * effect: the one place that decides it, used by every versioned write in the API and the
 * activities.
 *
 * The bound is the start, in OPERATOR_TIMEZONE, of the earliest billing period not yet finalised:
 * the period after the latest finalised one. Before any period is finalised it is the start of
 * BILLING_GO_LIVE_FROM, or of the previous month when that is not set (`editableFrom` in
 * libs/domain billing holds the arithmetic). A change may always take effect now or later.
 *
 * Every method takes the writer's transaction and first takes the billing-period lock `shared`
 * (see lockBillingPeriods), so a period being finalised concurrently either waits for the write to
 * commit or is seen by it: no write slips into a finalised period.
 */
@Injectable()
export class EffectiveDatePolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The earliest instant a change made at `now` may take effect, and why. */
  async earliestAllowed(tx: EntityManager, now: Date): Promise<EarliestAllowed> {
    return editableFrom({
      now,
      timeZone: this.config.operatorTimeZone,
      goLiveFrom: this.config.billing.goLiveFrom,
      latestFinalised: await this.latestFinalised(tx),
    });
  }

  /** Refuses `at` (with the concept's code, naming the field and the bound) when it is before `earliestAllowed(now)`. */
  async assertAllowed(tx: EntityManager, at: Date, now: Date, refusal: VersionRefusal): Promise<void> {
    assertNotBefore(at, await this.earliestAllowed(tx, now), refusal);
  }

  /** The end of the latest finalised billing period (nothing before it changes), or null when none is finalised. */
  async finalisedUntil(tx: EntityManager): Promise<Date | null> {
    const latest = await this.latestFinalised(tx);
    return latest === null ? null : billingPeriod(latest, this.config.operatorTimeZone).end;
  }

  private async latestFinalised(tx: EntityManager): Promise<string | null> {
    await lockBillingPeriods(tx, 'shared');
    const latest = await tx.findOne(BillingPeriod, { status: 'finalised' }, { orderBy: { period: 'desc' }, fields: ['period'] });
    return latest?.period ?? null;
  }
}
