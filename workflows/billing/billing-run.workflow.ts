import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  billingApprovalKey,
  runProgressQuery,
  rerateUpdate,
  type BillingEmailActivities,
  type BillingRunInput,
  type BillingRunOwnActivities,
  type BillingRunPhaseName,
  type BillingRunProgress,
  type BillingRunResult,
  type BillingRunState,
  type BillingRunStatusName,
  type CheckResult,
  type RerateInput,
  type SetRunStatusInput,
} from '@wholesail/contracts';
import { BillingRunErrorCode, isDomainError, isPeriodId, parseDuration } from '@wholesail/domain';
import { registerApprovalSteps, type ApprovalStepSpec } from '../approvals/approval-step';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 } as const;
const acts = proxyActivities<BillingRunOwnActivities>({ startToCloseTimeout: '1 minute', retry });
/** Pages write thousands of rows in one transaction; the freeze stamps every unfrozen event. */
const heavy = proxyActivities<BillingRunOwnActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '2 minutes', retry });
/** An e-mail is retried with backoff for as long as the SMTP server is down: never given up, never sent twice (the outbox). */
const mail = proxyActivities<BillingEmailActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Paged activities a run does before it continues as new: about 5 history events each, far below Temporal's 10k warning. */
export const BILLING_PAGES_PER_RUN = 40;
/** Issuers numbered per activity (each issuer's drafts in one transaction). */
const ISSUERS_PER_PAGE = 500;
/** Documents listed per e-mail page. */
const EMAILS_PER_PAGE = 200;

/**
 * The month-end billing run of one period (`billing-run:<period>`), or a dry run / what-if of it:
 *
 *   freeze → rate (pages of clients) → volumes → cuts, ledger and invoice lines (pages) → payout
 *   invoices and totals → invariants → finance approval (approve / reject / request changes, then
 *   a re-rate in a new round) → numbering (gap-free per issuer) → period finalised → e-mails →
 *   published.
 *
 * Heavy data lives in tables (rated lines, cut lines, documents); the workflow carries ids and
 * counts. It continues as new every BILLING_PAGES_PER_RUN paged activities and at each new round,
 * so its history stays small at any number of clients. A dry run or what-if stops after the check
 * with every figure stored, nothing frozen, numbered or sent.
 */
export async function billingRun(input: BillingRunInput): Promise<BillingRunResult> {
  const { runId, period, mode } = readInput(input);
  const real = mode === 'run';
  const state: BillingRunState = input.resume ?? {
    status: 'running',
    phase: 'freeze',
    round: 1,
    page: 1,
    cursor: null,
    pages: 0,
    clientsRated: 0,
    clientsTotal: 0,
    documentsTotal: 0,
    documentsFinal: 0,
    issuerCursor: null,
    emailCursor: null,
    emailsSent: 0,
    emailsTotal: 0,
  };
  const approvals = registerApprovalSteps({ businessKey: billingApprovalKey(period, runId) });
  let rerate: RerateInput | undefined;
  let budget = input.pagesPerRun ?? BILLING_PAGES_PER_RUN;

  const progress = (): BillingRunProgress => ({ runId, period, mode, ...state });
  setHandler(runProgressQuery, progress);
  setHandler(
    rerateUpdate,
    async (request) => {
      rerate = request;
      await condition(() => state.status !== 'changes-requested');
      return progress();
    },
    {
      validator: (_request) => {
        if (state.status !== 'changes-requested' || rerate !== undefined) {
          throw ApplicationFailure.create({
            type: BillingRunErrorCode.NotAwaitingRerate,
            message: `the run of ${period} does not wait for a re-rate (it is ${state.status})`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  const setStatus = (status: BillingRunStatusName, phase: BillingRunPhaseName, extra: Partial<SetRunStatusInput> = {}): Promise<void> => {
    state.status = status;
    state.phase = phase;
    return acts.setBillingRunStatus({ runId, status, phase, round: state.round, ...extra });
  };

  /** Counts a paged activity; past the budget (or when Temporal suggests it) the run continues as new with its state. */
  async function paged(): Promise<void> {
    budget--;
    if (budget > 0 && !workflowInfo().continueAsNewSuggested) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof billingRun>({ ...input, resume: state });
  }

  const finish = async (status: BillingRunStatusName, reason?: string): Promise<BillingRunResult> => {
    await condition(allHandlersFinished);
    log.info('billing run finished', { runId, period, mode, status, rounds: state.round });
    return { runId, period, status, rounds: state.round, ...(reason === undefined ? {} : { reason }) };
  };

  for (;;) {
    switch (state.phase) {
      case 'freeze': {
        // Every round starts here (a re-rate too: freezing a frozen period is a no-op). A dry run
        // or what-if freezes nothing: it counts what is not frozen yet as if it froze it now.
        state.clientsTotal = (await acts.startBillingRound({ runId, round: state.round })).clientsTotal;
        if (real) await heavy.freezeBillingUsage({ runId });
        await setStatus('running', 'rate');
        break;
      }
      case 'rate': {
        const rated = await heavy.rateBillingPage({ runId, round: state.round, page: state.page, afterClientId: state.cursor, pageSize: input.pageSize });
        if (rated.clients === 0) {
          await acts.computeBillingVolumes({ runId, round: state.round });
          state.pages = state.page - 1;
          state.page = 1;
          await setStatus('running', 'cuts');
          break;
        }
        state.clientsRated += rated.clients;
        state.cursor = rated.lastClientId;
        state.page++;
        await paged();
        break;
      }
      case 'cuts': {
        if (state.page > state.pages) {
          await setStatus('running', 'drafts');
          break;
        }
        await heavy.cutBillingPage({ runId, round: state.round, page: state.page });
        state.page++;
        await paged();
        break;
      }
      case 'drafts': {
        state.documentsTotal = (await heavy.finishBillingDrafts({ runId, round: state.round })).documents;
        await setStatus('running', 'check');
        break;
      }
      case 'check': {
        const check = await heavy.checkBillingRun({ runId, round: state.round });
        if (!check.ok) {
          const failure = invariantFailure(check);
          await setStatus('failed', 'done', { failure });
          return finish('failed', failure.message);
        }
        if (!real) {
          await heavy.summariseBillingRun({ runId, round: state.round });
          await setStatus('completed', 'done');
          return finish('completed');
        }
        await setStatus('awaiting-approval', 'approval');
        break;
      }
      case 'approval': {
        const decided = await approvals.run([financeStep(input, state.round)]);
        if (decided.outcome === 'approved') {
          const approval = decided.steps[0].approvals[0];
          await setStatus('finalising', 'finalise', {
            decision: { decision: 'approve', comment: approval.comment ?? null, by: approval.userId, at: approval.at },
          });
          break;
        }
        if (decided.outcome === 'expired' || decided.outcome === 'interrupted') {
          await approvals.closeOpenTasks('expired');
          await setStatus('expired', 'done');
          return finish('expired', 'finance did not decide in time');
        }
        const decision = { decision: decided.record.decision, comment: decided.comment, by: decided.record.userId, at: decided.record.at };
        if (decided.outcome === 'rejected') {
          await setStatus('rejected', 'done', { decision });
          return finish('rejected', decided.comment);
        }
        // Changes requested: the data is fixed outside the run, then someone asks for a re-rate.
        await setStatus('changes-requested', 'approval', { decision });
        const asked = await condition(() => rerate !== undefined, parseDuration(input.timings.expiresAfter, 'timings.expiresAfter'));
        if (!asked) {
          await setStatus('expired', 'done');
          return finish('expired', 'no re-rate was asked for in time after changes were requested');
        }
        rerate = undefined;
        Object.assign(state, {
          status: 'running',
          phase: 'freeze',
          round: state.round + 1,
          page: 1,
          cursor: null,
          pages: 0,
          clientsRated: 0,
          documentsTotal: 0,
        } satisfies Partial<BillingRunState>);
        await acts.setBillingRunStatus({ runId, status: 'running', phase: 'freeze', round: state.round });
        // A fresh history for the new round (the update answers once the status has moved on).
        await condition(allHandlersFinished);
        await continueAsNew<typeof billingRun>({ ...input, resume: state });
        break;
      }
      case 'finalise': {
        const numbered = await heavy.numberBillingDocuments({ runId, round: state.round, afterIssuerId: state.issuerCursor, limit: ISSUERS_PER_PAGE });
        state.documentsFinal = numbered.documentsFinal;
        if (numbered.lastIssuerId === null) {
          await acts.finaliseBillingPeriod({ runId });
          await setStatus('emailing', 'email');
          break;
        }
        state.issuerCursor = numbered.lastIssuerId;
        await paged();
        break;
      }
      case 'email': {
        const page = await acts.listBillingDocumentsToEmail({ runId, round: state.round, afterDocumentId: state.emailCursor, limit: EMAILS_PER_PAGE });
        state.emailsTotal = page.emailsTotal;
        if (page.documentIds.length === 0) {
          await setStatus('emailing', 'publish');
          break;
        }
        const queue = [...page.documentIds];
        const worker = async () => {
          for (let documentId = queue.shift(); documentId !== undefined; documentId = queue.shift()) {
            await mail.sendBillingDocument({ documentId, runId });
            state.emailsSent++;
          }
        };
        await Promise.all(Array.from({ length: Math.min(input.emailConcurrency, queue.length) }, worker));
        state.emailCursor = page.lastDocumentId;
        await acts.recordBillingEmailsSent({ runId, emailsSent: state.emailsSent });
        await paged();
        break;
      }
      case 'publish': {
        await setStatus('completed', 'done');
        return finish('completed');
      }
      case 'done':
        return finish(state.status);
    }
  }
}

/** Finance's approval of the drafts: anyone holding operator-finance at the operator. */
function financeStep(input: BillingRunInput, round: number): ApprovalStepSpec {
  return {
    stepKey: 'finance',
    round,
    title: `Approve the billing run of ${input.period}${round > 1 ? ` (round ${round})` : ''}`,
    description: `The drafts of ${input.period} are ready: client, wholesale and payout invoices, checked against the ledger. Approve to number, finalise and e-mail them; reject; or request changes and re-rate once the data is fixed.`,
    subject: { type: 'billing-run', id: input.runId, url: `/billing/runs/${input.period}` },
    policy: { role: 'operator-finance', partyId: input.operatorPartyId, mode: 'any' },
    timing: { reminderEveryMs: parseDuration(input.timings.reminderEvery), expiresAfterMs: parseDuration(input.timings.expiresAfter) },
  };
}

function invariantFailure(check: CheckResult): NonNullable<SetRunStatusInput['failure']> {
  const names = [...new Set(check.violations.map((v) => v.invariant))];
  return {
    code: BillingRunErrorCode.InvariantBroken,
    message: `the ledger breaks ${check.violationCount} invariant check${check.violationCount === 1 ? '' : 's'} (${names.join(', ')}): ${check.violations[0]?.message ?? ''}`,
    violations: check.violations,
  };
}

/** Refuses, with a non-retryable failure, an input the run could never complete. */
function readInput(input: BillingRunInput): Pick<BillingRunInput, 'runId' | 'period' | 'mode'> {
  const invalid = (message: string) => ApplicationFailure.create({ type: BillingRunErrorCode.InvalidInput, message, nonRetryable: true });
  if (typeof input?.runId !== 'string' || input.runId === '') throw invalid('runId is required');
  if (!isPeriodId(input.period)) throw invalid('period must be a month as YYYY-MM');
  if (!['run', 'dry-run', 'what-if'].includes(input.mode)) throw invalid('mode must be run, dry-run or what-if');
  if (typeof input.operatorPartyId !== 'string' || input.operatorPartyId === '') throw invalid('operatorPartyId is required');
  if (!Number.isInteger(input.pageSize) || input.pageSize < 1) throw invalid('pageSize must be a positive integer');
  if (!Number.isInteger(input.emailConcurrency) || input.emailConcurrency < 1) throw invalid('emailConcurrency must be a positive integer');
  if (input.pagesPerRun !== undefined && !(Number.isInteger(input.pagesPerRun) && input.pagesPerRun >= 1))
    throw invalid('pagesPerRun must be a positive integer');
  try {
    parseDuration(input.timings?.reminderEvery, 'timings.reminderEvery');
    parseDuration(input.timings?.expiresAfter, 'timings.expiresAfter');
  } catch (error) {
    throw isDomainError(error) ? invalid(error.message) : error;
  }
  return input;
}
