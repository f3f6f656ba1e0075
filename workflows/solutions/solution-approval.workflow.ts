import { allHandlersFinished, ApplicationFailure, condition, log, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  DEFAULT_SOLUTION_MAX_ROUNDS,
  solutionApprovalWorkflowId,
  solutionStatusQuery,
  submitVersionUpdate,
  withdrawSolutionUpdate,
  type ArchitectEmail,
  type SolutionApprovalActivities,
  type SolutionApprovalInput,
  type SolutionApprovalResult,
  type SolutionChangesRequested,
  type SolutionStatusView,
  type SubmitVersionInput,
  type WithdrawSolutionInput,
} from '@wholesail/contracts';
import {
  DesignErrorCode,
  operatorApprovalReasons,
  parseDuration,
  SOLUTION_FINAL_STATUSES,
  SOLUTION_WAITING_STATUSES,
  type FieldProblem,
  type SolutionFinalStatus,
  type SolutionPolicy,
  type SolutionStatus,
  type SolutionWeight,
} from '@wholesail/domain';
import { registerApprovalSteps, type ApprovalStepSpec, type ApprovalTiming } from '../approvals/approval-step';
import { boundedWait } from '../approvals/bounded-wait';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 } as const;
const acts = proxyActivities<SolutionApprovalActivities>({ startToCloseTimeout: '1 minute', retry });

/**
 * Solution approval, one case per solution (`solution-approval:<solutionId>`), each submitted
 * version a round: the version is validated and quoted at the client's prices → the client accepts
 * (any one or all of its client-users) → when the monthly total or the vCPUs pass the reseller's
 * thresholds, the operator approves (any one or all of the named operator-admins). "Request
 * changes" (or a version that no longer validates) returns the case to the architect, whose next
 * version resumes it in a new round; a rejection ends it, as does a wait that runs out (the
 * architect is told) or a withdrawal. An approved version goes to `afterApproval`.
 */
export async function solutionApproval(input: SolutionApprovalInput): Promise<SolutionApprovalResult> {
  const { solutionId } = input;
  const maxRounds = readInput(input);
  // Task ids and e-mail keys derive from the business key, never from workflowInfo(): a replay runs
  // under another workflow ID. In production the API starts the run under this same key.
  const businessKey = solutionApprovalWorkflowId(solutionId);
  const approvals = registerApprovalSteps({ businessKey });

  let status: SolutionStatus = 'validating';
  let updatedAt = new Date().toISOString();
  let round = input.round;
  let version = { id: input.versionId, no: input.versionNo };
  let reason: string | undefined;
  let weight: SolutionWeight | undefined;
  let operatorReasons: string[] | undefined;
  let changesRequested: SolutionChangesRequested | undefined;
  let withdrawal: WithdrawSolutionInput | undefined;
  let submission: SubmitVersionInput | undefined;

  const statusView = (): SolutionStatusView => ({
    solutionId,
    status,
    round,
    versionId: version.id,
    versionNo: version.no,
    ...(weight === undefined ? {} : { weight }),
    ...(operatorReasons === undefined ? {} : { operatorReasons }),
    ...(reason === undefined ? {} : { reason }),
    ...(changesRequested === undefined ? {} : { changesRequested }),
    updatedAt,
  });

  /** Changes the status at once: queries and update validators see it before anything is awaited. */
  const enter = (next: SolutionStatus): void => {
    status = next;
    updatedAt = new Date().toISOString();
  };
  const persistStatus = (): Promise<void> =>
    acts.setSolutionStatus({
      solutionId,
      versionId: version.id,
      round,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(changesRequested === undefined ? {} : { changesRequested }),
    });
  const setStatus = (next: SolutionStatus): Promise<void> => {
    enter(next);
    return persistStatus();
  };
  const email = (message: ArchitectEmail, key: string) =>
    acts.sendArchitectEmail({ ...message, solutionId, versionId: version.id, idempotencyKey: `${businessKey}:${key}` });

  setHandler(solutionStatusQuery, statusView);

  setHandler(
    withdrawSolutionUpdate,
    async (request) => {
      withdrawal = request;
      await condition(() => isFinal(status));
      return statusView();
    },
    {
      validator: (_request) => {
        if (withdrawal !== undefined || !(SOLUTION_WAITING_STATUSES as readonly SolutionStatus[]).includes(status)) {
          throw refusal(DesignErrorCode.NotWithdrawable, `the solution can no longer be withdrawn (${withdrawal ? 'withdrawn' : status})`);
        }
      },
    },
  );

  setHandler(
    submitVersionUpdate,
    async (request) => {
      submission = request;
      const from = round;
      await condition(() => round > from || isFinal(status));
      return statusView();
    },
    {
      validator: (request) => {
        if (status !== 'changes-requested' || submission !== undefined || withdrawal !== undefined) {
          throw refusal(DesignErrorCode.NotSubmittable, `no new version is awaited (${withdrawal ? 'withdrawn' : status})`);
        }
        if (typeof request?.versionId !== 'string' || !Number.isInteger(request.versionNo)) {
          throw refusal(DesignErrorCode.InvalidInput, 'a submission names the version: versionId and versionNo');
        }
      },
    },
  );

  function timingOf(policy: SolutionPolicy): ApprovalTiming {
    return { reminderEveryMs: parseDuration(policy.reminderEvery, 'reminderEvery'), expiresAfterMs: parseDuration(policy.expiresAfter, 'expiresAfter') };
  }

  /** The human steps of this round, in order: the client's acceptance, then the operator's approval when a threshold is passed. */
  function stepsFor(policy: SolutionPolicy, quoted: SolutionWeight): ApprovalStepSpec[] {
    const subject = { type: 'solution-design', id: solutionId, url: `/solutions/${solutionId}/versions/${version.no}` };
    const timing = timingOf(policy);
    const what = `${input.solutionName} (version ${version.no}) for ${input.clientName}: ${quoted.vcpus} vCPUs, ${quoted.monthlyTotal} ${quoted.currency} a month`;
    const steps: ApprovalStepSpec[] = [
      {
        stepKey: 'client',
        round,
        title: `Accept the solution design ${input.solutionName} (version ${version.no})`,
        description: `Your provider designed ${what}. Review its network map and quote, then accept it, reject it, or ask for changes.`,
        subject,
        timing,
        policy: { role: 'client-user', partyId: input.clientId, mode: policy.clientAcceptance.mode },
      },
    ];
    operatorReasons = operatorApprovalReasons(policy, quoted);
    if (operatorReasons.length > 0) {
      const { mode, approverIds } = policy.operatorApproval;
      steps.push({
        stepKey: 'operator',
        round,
        title: `Approve the solution design ${input.solutionName} for ${input.clientName} (version ${version.no})`,
        description: `The client accepted ${what}. It needs the operator's approval because ${operatorReasons.join(' and ')}.`,
        subject,
        timing,
        policy: { role: 'operator-admin', partyId: input.operatorPartyId, mode, ...(approverIds?.length ? { approverIds } : {}) },
      });
    }
    return steps;
  }

  async function awaitNewVersion(changes: Omit<SolutionChangesRequested, 'at' | 'respondBy'>, timing: ApprovalTiming): Promise<'done' | 'expired'> {
    const openedAt = Date.now();
    const dueAt = openedAt + timing.expiresAfterMs;
    const respondBy = new Date(dueAt).toISOString();
    changesRequested = { ...changes, at: new Date(openedAt).toISOString(), respondBy };
    await setStatus('changes-requested');
    const data = { comment: changes.comment, respondBy, problems: changes.problems ?? [] };
    await email({ template: 'solution-changes-requested', data }, `changes-requested:${round}`);
    return boundedWait({
      openedAt,
      dueAt,
      reminderEveryMs: timing.reminderEveryMs,
      done: () => withdrawal !== undefined || submission !== undefined,
      remind: (reminderNo) => email({ template: 'solution-changes-requested', data: { ...data, reminderNo } }, `changes-reminder:${round}:${reminderNo}`),
    });
  }

  async function finish(final: SolutionFinalStatus, extra: Partial<SolutionApprovalResult> = {}): Promise<SolutionApprovalResult> {
    // Decisions still being recorded (e.g. one that lost a race with a withdrawal) finish first.
    await condition(allHandlersFinished);
    log.info('solution approval finished', { solutionId, status: final, round });
    return { solutionId, status: final, round, versionId: version.id, versionNo: version.no, ...(reason === undefined ? {} : { reason }), ...extra };
  }

  async function withdraw(): Promise<SolutionApprovalResult> {
    const request = withdrawal as WithdrawSolutionInput;
    reason = request.reason?.trim() || `withdrawn by ${request.by}`;
    changesRequested = undefined;
    enter('withdrawn');
    await approvals.closeOpenTasks('withdrawn');
    await persistStatus();
    return finish('withdrawn');
  }

  async function reject(why: string): Promise<SolutionApprovalResult> {
    reason = why;
    changesRequested = undefined;
    await setStatus('rejected');
    await email({ template: 'solution-rejected', data: { reason: why } }, `rejected:${round}`);
    return finish('rejected');
  }

  async function expire(step: string): Promise<SolutionApprovalResult> {
    reason = step === 'resubmission' ? 'no new version was submitted in time' : `no ${step} decision in time`;
    changesRequested = undefined;
    enter('expired');
    await approvals.closeOpenTasks('expired');
    await persistStatus();
    await email({ template: 'solution-expired', data: { step } }, `expired:${round}`);
    return finish('expired');
  }

  /**
   * What follows an approved version. Today it records the approval and tells the architect.
   * Provisioning starts here: add it behind `patched('start-provisioning')` so that the saved
   * histories of runs approved before it (test/replay) still replay.
   */
  async function afterApproval(): Promise<SolutionApprovalResult> {
    await setStatus('approved');
    await email({ template: 'solution-approved', data: {} }, `approved:${round}`);
    return finish('approved', { approvedVersionId: version.id });
  }

  for (;;) {
    await setStatus('validating');
    const assessment = await acts.assessDesignVersion({ solutionId, versionId: version.id, round });
    if (withdrawal) return withdraw();
    const timing = timingOf(assessment.policy);
    let changes: Omit<SolutionChangesRequested, 'at' | 'respondBy'>;
    if (assessment.problems.length > 0 || !assessment.weight) {
      changes = {
        comment: `the design no longer validates: ${summarise(assessment.problems)}`,
        by: 'validation',
        stepKey: 'validation',
        problems: assessment.problems,
      };
    } else {
      weight = assessment.weight;
      const decided = await approvals.run(stepsFor(assessment.policy, assessment.weight), {
        interrupted: () => withdrawal !== undefined,
        beforeOpen: (spec) => setStatus(spec.stepKey === 'client' ? 'awaiting-client' : 'awaiting-operator'),
      });
      if (decided.outcome === 'interrupted') return withdraw(); // an accepted withdrawal wins over whatever else happened
      if (decided.outcome === 'expired') return expire(decided.stepKey);
      if (decided.outcome === 'rejected') return reject(decided.comment);
      if (decided.outcome === 'approved') return afterApproval();
      changes = {
        comment: decided.comment,
        by: decided.record.userId,
        ...(decided.record.email ? { byEmail: decided.record.email } : {}),
        stepKey: decided.stepKey,
      };
    }
    if (round - input.round + 1 >= maxRounds) {
      return reject(`changes were still requested after ${maxRounds} rounds; please start a new solution (last request: ${changes.comment})`);
    }
    const waited = await awaitNewVersion(changes, timing);
    if (withdrawal) return withdraw();
    if (waited === 'expired') return expire('resubmission');
    const next = submission as SubmitVersionInput;
    submission = undefined;
    changesRequested = undefined;
    weight = undefined;
    operatorReasons = undefined;
    version = { id: next.versionId, no: next.versionNo };
    round++;
    enter('validating'); // the submitVersion update answers from here on
  }
}

function isFinal(status: SolutionStatus): boolean {
  return (SOLUTION_FINAL_STATUSES as readonly SolutionStatus[]).includes(status);
}

function summarise(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field} ${p.problem}`).join('; ');
}

function refusal(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Refuses, with a non-retryable failure, an input the case could never complete; returns the round budget. */
function readInput(input: SolutionApprovalInput): number {
  const invalid = (message: string) => refusal(DesignErrorCode.InvalidInput, message);
  for (const field of ['solutionId', 'clientId', 'operatorPartyId', 'versionId'] as const) {
    if (typeof input?.[field] !== 'string' || input[field] === '') throw invalid(`${field} is required`);
  }
  if (!Number.isInteger(input.versionNo) || input.versionNo < 1) throw invalid('versionNo must be a positive integer');
  if (!Number.isInteger(input.round) || input.round < 1) throw invalid('round must be a positive integer');
  const maxRounds = input.maxRounds ?? DEFAULT_SOLUTION_MAX_ROUNDS;
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw invalid('maxRounds must be a positive integer');
  return maxRounds;
}
