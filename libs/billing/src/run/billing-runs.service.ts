import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { EmailPageInput, EmailPageResult, SetRunStatusInput, StartRoundResult } from '@wholesail/contracts';
import { BillingRunErrorCode, DomainError } from '@wholesail/domain';
import { BillingRun, catalogCurrency, type BillingRunStatus } from '@wholesail/persistence';
import { BillingPeriods } from '../billing-periods.service';

/** Statuses that end a run. */
export const BILLING_RUN_FINAL_STATUSES: readonly BillingRunStatus[] = ['completed', 'rejected', 'expired', 'failed'];

/** The working tables a run fills, keyed by (run_id, round). */
const WORK_TABLES = ['billing_rated_line', 'billing_cut_line', 'billing_ledger_balance', 'billing_excluded_usage', 'billing_run_page'] as const;

/**
 * The `billing_run` row: starting a round (and clearing what it replaces), status and phase, and
 * the period's status beside it. Used by the run's activities.
 */
@Injectable()
export class BillingRuns {
  constructor(
    private readonly em: EntityManager,
    private readonly periods: BillingPeriods,
  ) {}

  async get(runId: string, em: EntityManager = this.em.fork()): Promise<BillingRun> {
    const run = await em.findOne(BillingRun, { id: runId }, { refresh: true });
    if (!run) throw DomainError.notFound(BillingRunErrorCode.RunNotFound, `billing run ${runId} does not exist`);
    return run;
  }

  /**
   * Starts round `round` of a run: a finalised period is refused (409); the drafts and working rows
   * this round replaces go — earlier rounds of the run, and the drafts of the period's earlier runs
   * that ended without being finalised (re-running a draft period replaces its drafts); a dry run
   * replaces the period's earlier dry runs. Idempotent: a retry clears and counts again.
   */
  async startRound(runId: string, round: number): Promise<StartRoundResult> {
    return this.em.fork().transactional(async (tx) => {
      const run = await this.get(runId, tx);
      if (run.mode === 'run') await this.periods.setRunState(tx, run.period, 'running');
      const replaced: Array<{ id: string }> = await tx.execute(
        `select id from billing_run
          where period = ? and id <> ? and (mode = 'run') = (? = 'run') and status in ('completed', 'rejected', 'expired', 'failed')
            and not (mode = 'run' and status = 'completed')`,
        [run.period, run.id, run.mode],
      );
      const runs = [run.id, ...replaced.map((r) => r.id)];
      const list = JSON.stringify(runs);
      await tx.execute(
        `delete from billing_document where status = 'draft' and run_id in (select value::uuid from json_array_elements_text(?::json))`,
        [list],
        'run',
      );
      for (const table of WORK_TABLES) {
        await tx.execute(`delete from "${table}" where run_id in (select value::uuid from json_array_elements_text(?::json))`, [list], 'run');
      }
      const [{ count }]: Array<{ count: string }> = await tx.execute(`select count(*) as count from party where kind = 'client'`);
      const currency = await catalogCurrency(tx);
      Object.assign(run, {
        round,
        status: 'running',
        phase: 'freeze',
        clientsTotal: Number(count),
        clientsRated: 0,
        documentsTotal: 0,
        documentsFinal: 0,
        excludedCount: 0,
        currency,
        totals: null,
        invariants: null,
        volumes: null,
        result: null,
        failure: null,
      } satisfies Partial<BillingRun>);
      await tx.flush();
      return { clientsTotal: Number(count), currency };
    });
  }

  /** Status and phase of the run; for a real run, the period's status follows. */
  async setStatus(input: SetRunStatusInput): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const run = await this.get(input.runId, tx);
      run.status = input.status;
      run.phase = input.phase;
      run.round = input.round;
      if (input.decision) run.decision = { ...input.decision, round: input.round };
      if (input.failure) run.failure = { ...input.failure };
      if (BILLING_RUN_FINAL_STATUSES.includes(input.status)) run.finishedAt = new Date();
      await tx.flush();
      if (run.mode !== 'run') return;
      if (input.status === 'running') await this.periods.setRunState(tx, run.period, 'running');
      else if (input.status === 'awaiting-approval') await this.periods.setRunState(tx, run.period, 'awaiting-approval');
      else if (['changes-requested', 'rejected', 'expired', 'failed'].includes(input.status) && (await this.periods.status(tx, run.period)) !== 'finalised')
        await this.periods.setRunState(tx, run.period, 'draft');
    });
  }

  /** Every document of the run is final: the period is finalised (in order, once it has ended). */
  async finalisePeriod(runId: string): Promise<void> {
    const em = this.em.fork();
    const run = await this.get(runId, em);
    const [{ drafts }]: Array<{ drafts: string }> = await em.execute(`select count(*) as drafts from billing_document where run_id = ? and status = 'draft'`, [
      run.id,
    ]);
    if (Number(drafts) > 0)
      throw DomainError.conflict(
        BillingRunErrorCode.DocumentNotFinal,
        `${drafts} documents of run ${run.id} are not numbered yet: the period cannot be finalised`,
      );
    await this.periods.finalise(em, run.period, `workflow:${run.workflowId}`);
  }

  async recordEmailsSent(runId: string, emailsSent: number): Promise<void> {
    await this.em.fork().nativeUpdate(BillingRun, { id: runId }, { emailsSent });
  }

  /** The next page of the run's final documents that have an address, in id order, and how many there are in all. */
  async documentsToEmail(input: EmailPageInput): Promise<EmailPageResult> {
    const em = this.em.fork();
    const rows: Array<{ id: string }> = await em.execute(
      `select id from billing_document where run_id = ? and round = ? and status = 'final' and deliver_to is not null and (?::uuid is null or id > ?::uuid) order by id limit ?`,
      [input.runId, input.round, input.afterDocumentId, input.afterDocumentId, input.limit],
    );
    const [{ count }]: Array<{ count: string }> = await em.execute(
      `select count(*) as count from billing_document where run_id = ? and round = ? and status = 'final' and deliver_to is not null`,
      [input.runId, input.round],
    );
    await em.nativeUpdate(BillingRun, { id: input.runId }, { emailsTotal: Number(count) });
    return { documentIds: rows.map((r) => r.id), lastDocumentId: rows.length ? rows[rows.length - 1].id : null, emailsTotal: Number(count) };
  }
}
