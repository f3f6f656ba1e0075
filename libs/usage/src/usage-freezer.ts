import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { billingPeriod, DomainError } from '@wholesail/domain';
import { UsageFreeze } from '@wholesail/persistence';
import { UsageErrorCode } from './usage-errors';

export interface FreezeResult {
  period: string;
  frozenAt: Date;
  eventCount: number;
  lineCount: number;
  /** The period was already frozen (by an earlier attempt of the same run): nothing changed. */
  alreadyFrozen: boolean;
}

/**
 * Freezes a period's usage when its billing run starts: every resource event and usage line not
 * frozen yet is stamped with the period, in one statement each, so what is recorded while the run
 * goes on is left for the next run (and billed there as late usage). Idempotent: freezing a period
 * again returns the first freeze. Periods freeze in order: a period before one already frozen is
 * refused, since its usage has been taken by the later run; so is a period that has not ended.
 */
@Injectable()
export class UsageFreezer {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async freeze(period: string, frozenBy: string, now = new Date()): Promise<FreezeResult> {
    const { end } = billingPeriod(period, this.config.operatorTimeZone, 'period');
    if (now.getTime() < end.getTime()) {
      throw DomainError.conflict(UsageErrorCode.FreezeTooEarly, `period ${period} cannot be frozen before it ends (${end.toISOString()})`, [
        { field: 'period', problem: `has not ended yet (it ends ${end.toISOString()})` },
      ]);
    }
    return this.em.fork().transactional(async (tx) => {
      // One freeze at a time: the check of later periods and the stamping must not interleave.
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended('usage-freeze', 0))`);
      const existing = await tx.findOne(UsageFreeze, { period });
      if (existing) return { ...view(existing), alreadyFrozen: true };
      const later = await tx.findOne(UsageFreeze, { period: { $gt: period } }, { orderBy: { period: 'desc' } });
      if (later) {
        throw DomainError.conflict(UsageErrorCode.FreezeOutOfOrder, `period ${period} cannot be frozen: ${later.period} is already frozen and took its usage`, [
          { field: 'period', problem: `is before ${later.period}, which is already frozen` },
        ]);
      }
      const frozenAt = new Date();
      const events = await tx.execute<{ affectedRows: number }>(
        `update resource_event set freeze_period = ?, frozen_at = ? where freeze_period is null`,
        [period, frozenAt],
        'run',
      );
      const lines = await tx.execute<{ affectedRows: number }>(
        `update usage_line set freeze_period = ?, frozen_at = ? where freeze_period is null`,
        [period, frozenAt],
        'run',
      );
      const freeze = tx.create(UsageFreeze, { period, frozenAt, frozenBy, eventCount: events.affectedRows, lineCount: lines.affectedRows });
      await tx.flush();
      return { ...view(freeze), alreadyFrozen: false };
    });
  }
}

function view(freeze: UsageFreeze): Omit<FreezeResult, 'alreadyFrozen'> {
  return { period: freeze.period, frozenAt: freeze.frozenAt, eventCount: freeze.eventCount, lineCount: freeze.lineCount };
}
