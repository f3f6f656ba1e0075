import { Inject, Injectable } from '@nestjs/common';
import { BillingRunStarter } from '@wholesail/billing';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { ScheduledBillingActivities, StartScheduledRunResult } from '@wholesail/contracts';
import { BillingRunErrorCode, isDomainError, periodContaining, previousPeriod } from '@wholesail/domain';
import { withDomainFailures } from '@wholesail/temporal';

/** The monthly schedule's activity: starts the previous month's run, as `POST /billing/runs` would. */
@Injectable()
export class ScheduledBillingRunActivities implements ScheduledBillingActivities {
  constructor(
    private readonly starter: BillingRunStarter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  startScheduledBillingRun(input: { at: string; period?: string }): Promise<StartScheduledRunResult> {
    return withDomainFailures(async () => {
      const period = input.period ?? previousPeriod(periodContaining(new Date(input.at), this.config.operatorTimeZone)).id;
      try {
        const run = await this.starter.start({ period, startedBy: 'schedule:billing-monthly' });
        return { runId: run.id, period, outcome: 'started' };
      } catch (error) {
        if (isDomainError(error) && error.code === BillingRunErrorCode.PeriodFinalised) return { runId: null, period, outcome: 'already-finalised' };
        if (isDomainError(error) && error.code === BillingRunErrorCode.RunInProgress) return { runId: null, period, outcome: 'already-running' };
        throw error;
      }
    });
  }
}
