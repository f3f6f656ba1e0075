import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { BILLING_RUN_WORKFLOW, billingDryRunWorkflowId, billingRunWorkflowId, type BillingRunInput } from '@wholesail/contracts';
import {
  agreementTermsProblems,
  billingPeriod,
  BillingRunErrorCode,
  DomainError,
  parseInstant,
  parsePeriodId,
  periodContaining,
  type AgreementTermsInput,
  type FieldProblem,
  type ProposedAgreement,
} from '@wholesail/domain';
import { BillingRun, type BillingRunMode } from '@wholesail/persistence';
import { TEMPORAL_CLIENT } from '@wholesail/temporal';
import { randomUUID } from 'node:crypto';
import { BillingPeriods, periodFinalised } from '../billing-periods.service';
import { operatorPartyId } from './invoice-drafts';

/** A proposed agreement version for a what-if, as sent. */
export interface ProposedAgreementInput extends AgreementTermsInput {
  partyId: string;
  effectiveFrom?: string;
}

export interface StartRunRequest {
  period: string;
  dryRun?: boolean;
  whatIf?: { agreements: ProposedAgreementInput[] };
  /** "user:<id>", "schedule:billing-monthly". */
  startedBy: string;
  now?: Date;
}

/** At most this many proposed versions in one what-if. */
export const MAX_WHAT_IF_AGREEMENTS = 100;

/**
 * Starts billing runs, for the API (`POST /billing/runs`) and the monthly schedule alike: checks
 * the request, writes the `billing_run` row (the database allows one real run under way per
 * period), then starts the workflow under its business key. A real run needs a period that has
 * ended and is not finalised; a dry run or what-if may look at any period not finalised and not
 * after the current one, and never blocks or replaces the real run.
 */
@Injectable()
export class BillingRunStarter {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly periods: BillingPeriods,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async start(request: StartRunRequest): Promise<BillingRun> {
    const em = this.em.fork();
    const now = request.now ?? new Date();
    const mode: BillingRunMode = request.whatIf ? 'what-if' : request.dryRun ? 'dry-run' : 'run';
    if (request.whatIf && request.dryRun === false) throw invalid('dryRun', 'must not be false with whatIf: a what-if is a dry run');
    parsePeriodId(request.period, 'period');
    const period = billingPeriod(request.period, this.config.operatorTimeZone);
    if (mode === 'run' && period.end.getTime() > now.getTime()) {
      throw DomainError.conflict(
        BillingRunErrorCode.PeriodNotEnded,
        `billing period ${period.id} ends at ${period.end.toISOString()}: run it after that (or as a dry run)`,
        [{ field: 'period', problem: `has not ended yet (it ends at ${period.end.toISOString()})` }],
      );
    }
    if (period.id > periodContaining(now, this.config.operatorTimeZone).id) throw invalid('period', 'must not be after the current period');
    if ((await this.periods.status(em, period.id)) === 'finalised') throw periodFinalised(period.id);
    if (mode !== 'run') await this.assertNothingFrozenAfter(em, period.id);
    const whatIf = request.whatIf ? { agreements: await this.proposals(em, request.whatIf.agreements, period.end) } : null;

    const run = em.create(BillingRun, { period: period.id, mode, workflowId: '', startedBy: request.startedBy, whatIf });
    run.workflowId = mode === 'run' ? billingRunWorkflowId(period.id) : billingDryRunWorkflowId(period.id, run.id);
    try {
      await em.flush();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const active = await this.em.fork().findOne(BillingRun, { period: period.id, mode: 'run' }, { orderBy: { createdAt: 'desc' } });
      throw DomainError.conflict(
        BillingRunErrorCode.RunInProgress,
        `a billing run of ${period.id} is under way (${active?.id ?? 'unknown'}, ${active?.status ?? ''})`,
        [{ field: 'period', problem: 'has a run under way' }],
      );
    }

    const input: BillingRunInput = {
      runId: run.id,
      period: period.id,
      mode,
      operatorPartyId: await operatorPartyId(em),
      timings: { reminderEvery: this.config.billing.approvalReminderEvery, expiresAfter: this.config.billing.approvalExpiresAfter },
      pageSize: this.config.billing.pageSize,
      emailConcurrency: this.config.billing.emailConcurrency,
    };
    try {
      await this.temporal.workflow.start(BILLING_RUN_WORKFLOW, { workflowId: run.workflowId, taskQueue: this.config.temporal.taskQueue, args: [input] });
    } catch (error) {
      run.status = 'failed';
      run.phase = 'done';
      run.finishedAt = new Date();
      const inProgress = error instanceof WorkflowExecutionAlreadyStartedError;
      run.failure = { code: inProgress ? BillingRunErrorCode.RunInProgress : 'BILLING_RUN_NOT_STARTED', message: (error as Error).message };
      await em.flush();
      if (inProgress) throw DomainError.conflict(BillingRunErrorCode.RunInProgress, `a billing run of ${period.id} is under way (${run.workflowId})`);
      throw error;
    }
    return run;
  }

  /** A dry run counts what is not frozen yet as frozen by it: only right while no later period is frozen. */
  private async assertNothingFrozenAfter(em: EntityManager, period: string): Promise<void> {
    const [later]: Array<{ period: string }> = await em.execute(`select period from usage_freeze where period > ? order by period desc limit 1`, [period]);
    if (later) {
      throw DomainError.conflict(
        BillingRunErrorCode.InvalidInput,
        `period ${later.period} is frozen already: a dry run is for a period whose usage is not frozen by a later run`,
        [{ field: 'period', problem: `is before ${later.period}, whose usage is frozen` }],
      );
    }
  }

  /** Proposed versions, checked as adding them would be (terms by party kind), each with a fresh id. */
  private async proposals(em: EntityManager, agreements: ProposedAgreementInput[], periodEnd: Date): Promise<ProposedAgreement[]> {
    if (!Array.isArray(agreements) || agreements.length === 0 || agreements.length > MAX_WHAT_IF_AGREEMENTS)
      throw invalid('whatIf.agreements', `must list 1 to ${MAX_WHAT_IF_AGREEMENTS} proposed agreement versions`);
    const ids = agreements.map((a) => a.partyId);
    const parties: Array<{ id: string; kind: string }> = await em.execute(
      `select id, kind from party where id in (select value::uuid from json_array_elements_text(?::json))`,
      [JSON.stringify(ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id ?? '')))],
    );
    const kindOf = new Map(parties.map((p) => [p.id, p.kind]));
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    const proposals = agreements.map((a, i): ProposedAgreement => {
      const field = `whatIf.agreements[${i}]`;
      const kind = kindOf.get(a.partyId);
      if (kind !== 'distributor' && kind !== 'agent') problems.push({ field: `${field}.partyId`, problem: 'must be a distributor or an agent' });
      else problems.push(...agreementTermsProblems(kind, a).map((p) => ({ ...p, field: `${field}.${p.field}` })));
      if (seen.has(a.partyId)) problems.push({ field: `${field}.partyId`, problem: 'is proposed twice: one version per party' });
      seen.add(a.partyId);
      if (a.effectiveFrom !== undefined) {
        try {
          if (parseInstant(a.effectiveFrom, `${field}.effectiveFrom`).getTime() >= periodEnd.getTime())
            problems.push({ field: `${field}.effectiveFrom`, problem: 'must be before the end of the period' });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          problems.push(...error.fields);
        }
      }
      return { ...a, id: randomUUID(), partyKind: kind === 'agent' ? 'agent' : 'distributor', effectiveFrom: a.effectiveFrom ?? null };
    });
    if (problems.length) throw new DomainError(BillingRunErrorCode.InvalidInput, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
    return proposals;
  }
}

function invalid(field: string, problem: string): DomainError {
  return DomainError.invalid(BillingRunErrorCode.InvalidInput, field, problem);
}
