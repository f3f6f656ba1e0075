import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { Principal } from '@wholesail/auth';
import { BillingRunStarter } from '@wholesail/billing';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { rerateUpdate, runProgressQuery, type BillingRunProgress } from '@wholesail/contracts';
import { BillingRunErrorCode, DomainError } from '@wholesail/domain';
import { ApprovalTask, BillingRun, BILLING_RUN_ACTIVE_STATUSES } from '@wholesail/persistence';
import { executeUpdateOrRefuse, TEMPORAL_CLIENT } from '@wholesail/temporal';
import { BillingRunView, type ExcludedUsageView, type ListRunsQuery, type RerateDto, type StartRunDto } from './dto/billing.dto';

/** How long a read waits for a running workflow's live progress before showing the stored one. */
const LIVE_PROGRESS_WAIT_MS = 2_000;

/**
 * Month-end billing runs over HTTP: start one (or a dry run / what-if, whose figures come back in
 * the response when they are ready in time), read where runs stand, ask a run for a re-rate after
 * finance requested changes. The operator's only (operator-admin, operator-finance).
 */
@Injectable()
export class BillingRunsService {
  constructor(
    private readonly em: EntityManager,
    private readonly starter: BillingRunStarter,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a run; a dry run or what-if is waited for (BILLING_DRY_RUN_WAIT_SECONDS) so that its figures come back at once. */
  async start(principal: Principal, dto: StartRunDto): Promise<{ run: BillingRunView; finished: boolean }> {
    const run = await this.starter.start({ period: dto.period, dryRun: dto.dryRun, whatIf: dto.whatIf, startedBy: principal.ref });
    if (run.mode === 'run') return { run: await this.view(run), finished: false };
    const waitMs = this.config.billing.dryRunWaitSeconds * 1000;
    const finished = await Promise.race([
      this.temporal.workflow
        .getHandle(run.workflowId)
        .result()
        .then(
          () => true,
          () => true,
        ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), waitMs).unref()),
    ]);
    return { run: await this.view(await this.load(run.id)), finished };
  }

  async list(query: ListRunsQuery): Promise<[BillingRunView[], number]> {
    const [runs, total] = await this.em
      .fork()
      .findAndCount(
        BillingRun,
        { ...(query.period ? { period: query.period } : {}), ...(query.mode ? { mode: query.mode } : {}) },
        { orderBy: { createdAt: 'desc', id: 'asc' }, limit: query.pageSize, offset: query.offset },
      );
    return [await Promise.all(runs.map((r) => this.view(r, false))), total];
  }

  /** The period's latest real run, with live progress while it runs. */
  async get(period: string): Promise<BillingRunView> {
    const run = await this.em.fork().findOne(BillingRun, { period, mode: 'run' }, { orderBy: { createdAt: 'desc' } });
    if (!run) throw DomainError.notFound(BillingRunErrorCode.RunNotFound, `no billing run of ${period} has been started`);
    return this.view(run);
  }

  async getById(id: string): Promise<BillingRunView> {
    return this.view(await this.load(id));
  }

  /** After "request changes" and the fix: rate again (a new round). Refused unless the run waits for it. */
  async rerate(principal: Principal, period: string, dto: RerateDto): Promise<BillingRunView> {
    const run = await this.em.fork().findOne(BillingRun, { period, mode: 'run', status: { $in: [...BILLING_RUN_ACTIVE_STATUSES] } });
    if (!run) throw DomainError.conflict(BillingRunErrorCode.NotAwaitingRerate, `no run of ${period} is under way`);
    await executeUpdateOrRefuse(
      () =>
        this.temporal.workflow
          .getHandle(run.workflowId)
          .executeUpdate(rerateUpdate, { args: [{ by: principal.ref, ...(dto.comment ? { comment: dto.comment } : {}) }] }),
      {
        kinds: { [BillingRunErrorCode.NotAwaitingRerate]: 'conflict' },
        fallbackCode: BillingRunErrorCode.NotAwaitingRerate,
        ended: () => DomainError.conflict(BillingRunErrorCode.NotAwaitingRerate, `the run of ${period} has ended`),
      },
    );
    return this.view(await this.load(run.id));
  }

  private async load(id: string): Promise<BillingRun> {
    const run = await this.em.fork().findOne(BillingRun, { id });
    if (!run) throw DomainError.notFound(BillingRunErrorCode.RunNotFound, `billing run ${id} does not exist`);
    return run;
  }

  private async view(run: BillingRun, details = true): Promise<BillingRunView> {
    const em = this.em.fork();
    const excluded: ExcludedUsageView[] = details
      ? (
          await em.execute(
            `select transaction_id, kind, client_id, sku, resource_id, usage_period, reason from billing_excluded_usage
              where run_id = ? and round = ? order by usage_period, transaction_id limit 100`,
            [run.id, run.round],
          )
        ).map((e: Record<string, any>) => ({
          transactionId: e.transaction_id,
          kind: e.kind,
          clientId: e.client_id,
          sku: e.sku,
          resourceId: e.resource_id ?? null,
          usagePeriod: e.usage_period,
          reason: e.reason,
        }))
      : [];
    const task = run.status === 'awaiting-approval' ? await em.findOne(ApprovalTask, { workflowId: run.workflowId, status: 'open' }) : null;
    const view = BillingRunView.of(run, excluded, task?.id ?? null);
    if (details && (BILLING_RUN_ACTIVE_STATUSES as readonly string[]).includes(run.status)) {
      const live = await this.liveProgress(run.workflowId);
      if (live && live.runId === run.id) {
        view.phase = live.phase;
        view.progress = {
          clientsRated: live.clientsRated,
          clientsTotal: live.clientsTotal,
          documentsTotal: live.documentsTotal,
          documentsFinal: live.documentsFinal,
          emailsSent: live.emailsSent,
          emailsTotal: live.emailsTotal,
        };
      }
    }
    return view;
  }

  private async liveProgress(workflowId: string): Promise<BillingRunProgress | null> {
    return Promise.race([
      this.temporal.workflow
        .getHandle(workflowId)
        .query(runProgressQuery)
        .catch(() => null),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), LIVE_PROGRESS_WAIT_MS).unref()),
    ]);
  }
}
