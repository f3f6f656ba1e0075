import { Injectable } from '@nestjs/common';
import type {
  BillingRunOwnActivities,
  CheckResult,
  CutPageInput,
  CutPageResult,
  DraftsResult,
  EmailPageInput,
  EmailPageResult,
  EmailsSentInput,
  FreezeUsageResult,
  NumberDocumentsInput,
  NumberDocumentsResult,
  RatePageInput,
  RatePageResult,
  RoundRef,
  BillingRunRef,
  SetRunStatusInput,
  StartRoundResult,
} from '@wholesail/contracts';
import { BillingCheck, BillingCuts, BillingNumbering, BillingRating, BillingRuns } from '@wholesail/billing';
import { withDomainFailures, withHeartbeat } from '@wholesail/temporal';
import { UsageFreezer } from '@wholesail/usage';
import { BillingFault } from './billing-faults';

/**
 * The billing run's activities (workflows/billing). Each delegates to a libs/billing service and is
 * idempotent by its key (run, round, page / issuer range): see BillingRunOwnActivities. Long ones
 * heartbeat, so a worker killed mid-page is noticed within the heartbeat timeout and the page is
 * done again elsewhere, replacing what the dead attempt wrote.
 */
@Injectable()
export class BillingRunActivities implements BillingRunOwnActivities {
  constructor(
    private readonly runs: BillingRuns,
    private readonly rating: BillingRating,
    private readonly cuts: BillingCuts,
    private readonly check: BillingCheck,
    private readonly numbering: BillingNumbering,
    private readonly freezer: UsageFreezer,
  ) {}

  startBillingRound(input: RoundRef): Promise<StartRoundResult> {
    return withDomainFailures(() => this.runs.startRound(input.runId, input.round));
  }

  freezeBillingUsage(input: BillingRunRef): Promise<FreezeUsageResult> {
    return withDomainFailures(() =>
      withHeartbeat(async () => {
        const run = await this.runs.get(input.runId);
        const frozen = await this.freezer.freeze(run.period, `workflow:${run.workflowId}`);
        return { eventCount: frozen.eventCount, lineCount: frozen.lineCount, alreadyFrozen: frozen.alreadyFrozen };
      }),
    );
  }

  rateBillingPage(input: RatePageInput): Promise<RatePageResult> {
    return withDomainFailures(() =>
      withHeartbeat(async () => {
        const fault = BillingFault.enter('rate');
        await fault.before();
        const rated = await this.rating.ratePage(input);
        await fault.after();
        return rated;
      }),
    );
  }

  computeBillingVolumes(input: RoundRef): Promise<{ distributors: number }> {
    return withDomainFailures(() => this.cuts.computeVolumes(input.runId, input.round));
  }

  cutBillingPage(input: CutPageInput): Promise<CutPageResult> {
    return withDomainFailures(() => withHeartbeat(() => this.cuts.cutPage(input)));
  }

  finishBillingDrafts(input: RoundRef): Promise<DraftsResult> {
    return withDomainFailures(() => withHeartbeat(() => this.check.finishDrafts(input.runId, input.round)));
  }

  checkBillingRun(input: RoundRef): Promise<CheckResult> {
    return withDomainFailures(() => withHeartbeat(() => this.check.check(input.runId, input.round)));
  }

  summariseBillingRun(input: RoundRef): Promise<void> {
    return withDomainFailures(() => withHeartbeat(() => this.check.summarise(input.runId, input.round)));
  }

  setBillingRunStatus(input: SetRunStatusInput): Promise<void> {
    return withDomainFailures(() => this.runs.setStatus(input));
  }

  numberBillingDocuments(input: NumberDocumentsInput): Promise<NumberDocumentsResult> {
    return withDomainFailures(() => withHeartbeat(() => this.numbering.numberDocuments(input)));
  }

  finaliseBillingPeriod(input: BillingRunRef): Promise<void> {
    return withDomainFailures(() => this.runs.finalisePeriod(input.runId));
  }

  listBillingDocumentsToEmail(input: EmailPageInput): Promise<EmailPageResult> {
    return withDomainFailures(() => this.runs.documentsToEmail(input));
  }

  recordBillingEmailsSent(input: EmailsSentInput): Promise<void> {
    return withDomainFailures(() => this.runs.recordEmailsSent(input.runId, input.emailsSent));
  }
}
