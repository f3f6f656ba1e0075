import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  applicationStatusQuery,
  approvalDecisionId,
  approvalTaskId,
  confirmEmailChangeUpdate,
  decideUpdate,
  DEFAULT_ONBOARDING_MAX_ROUNDS,
  ONBOARDING_FINAL_STATUSES,
  ONBOARDING_KINDS,
  onboardingWorkflowId,
  ONBOARDING_WITHDRAWABLE_STATUSES,
  OnboardingErrorCode,
  openTasksQuery,
  resubmitUpdate,
  sponsorRoleFor,
  withdrawUpdate,
  type ApplicantEmail,
  type ApplicationStatusView,
  type ApprovalTaskView,
  type OnboardingActivities,
  type OnboardingFinalStatus,
  type OnboardingStatus,
  type OnboardingStep,
  type PartnerOnboardingInput,
  type PartnerOnboardingResult,
  type ResubmitInput,
  type WithdrawInput,
} from '@wholesail/contracts';
import {
  APPROVAL_MODES,
  applyDecision,
  approvalsOf,
  closeTask,
  isDomainError,
  openTask,
  parseDuration,
  pendingApprovers,
  validateDecision,
  type ApprovalOutcome,
  type ApprovalPolicy,
  type ApprovalRecord,
  type ApprovalTaskState,
  type DomainError,
  type FieldProblem,
} from '@wholesail/domain';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 } as const;
const acts = proxyActivities<OnboardingActivities>({ startToCloseTimeout: '30 seconds', retry });
const { provisionPartner } = proxyActivities<OnboardingActivities>({ startToCloseTimeout: '5 minutes', retry });

/**
 * Reminders per wait are capped so that a short reminder interval against a long deadline cannot
 * grow the history without bound (with the round cap, a run stays far below Temporal's limits).
 */
const MAX_REMINDERS_PER_WAIT = 10;

type ApprovalStep = Exclude<OnboardingStep, 'resubmission'>;

/** A human step of the current run: what the inbox shows, the task's state, and its recording. */
interface TaskSlot {
  step: ApprovalStep;
  view: Omit<ApprovalTaskView, 'policy' | 'status' | 'approvals' | 'closedAt' | 'openedAt' | 'dueAt'>;
  state: ApprovalTaskState;
  /** Accepted decisions whose recording activity has not finished yet. */
  recording: number;
  /** The deciding decision, set once it is recorded: the main flow moves on only then. */
  decided?: { outcome: ApprovalOutcome; record: ApprovalRecord };
}

/**
 * Partner onboarding, one run per application (`onboarding:<applicationId>`): automatic checks →
 * the sponsor's confirmation (when there is a sponsor) → the operator's approval → provisioning
 * and a welcome e-mail. Every human wait reminds at `reminderEvery` and expires after
 * `expiresAfter`. Decisions arrive only through the validated `decide` update; the applicant can
 * withdraw while anything is pending and resubmit after changes were requested (a new round).
 */
export async function partnerOnboarding(input: PartnerOnboardingInput): Promise<PartnerOnboardingResult> {
  const { workflowId, workflowType } = workflowInfo();
  const { applicationId } = input;
  const { reminderEveryMs, expiresAfterMs, maxRounds } = readInput(input);
  // Task ids and idempotency keys come from the business key, not from workflowInfo(): decisions
  // name task ids, so a replay (which runs under another workflow ID) must derive the same ones.
  // In production the two are equal: the API starts the run as onboardingWorkflowId(applicationId).
  const businessKey = onboardingWorkflowId(applicationId);
  const emailKey = (suffix: string) => `${businessKey}:${suffix}`;

  let status: OnboardingStatus = 'checking';
  let updatedAt = new Date().toISOString();
  let round = 1;
  let reason: string | undefined;
  let problems: FieldProblem[] | undefined;
  let changesRequested: ApplicationStatusView['changesRequested'];
  let partyId: string | undefined = undefined; // set by provisioning, read by the status query
  let withdrawal: WithdrawInput | undefined;
  let resubmission: ResubmitInput | undefined;
  /** Confirmed contact e-mails being written: provisioning waits for them (the invitation goes there). */
  let emailChangesInFlight = 0;
  const tasks = new Map<string, TaskSlot>();

  const statusView = (): ApplicationStatusView => ({
    applicationId,
    status,
    round,
    ...(reason === undefined ? {} : { reason }),
    ...(problems === undefined ? {} : { problems }),
    ...(changesRequested === undefined ? {} : { changesRequested }),
    ...(partyId === undefined ? {} : { partyId }),
    updatedAt,
  });

  const taskView = (slot: TaskSlot): ApprovalTaskView => ({
    ...slot.view,
    policy: slot.state.policy,
    openedAt: slot.state.openedAt,
    dueAt: slot.state.dueAt,
    status: slot.state.status,
    approvals: approvalsOf(slot.state),
    ...(slot.state.closedAt === undefined ? {} : { closedAt: slot.state.closedAt }),
  });

  /** Changes the status at once: queries and update validators see it before anything is awaited. */
  const enter = (next: OnboardingStatus): void => {
    status = next;
    updatedAt = new Date().toISOString();
  };
  const persistStatus = (): Promise<void> =>
    acts.setApplicationStatus({ applicationId, status, round, ...(reason === undefined ? {} : { reason }), ...(problems === undefined ? {} : { problems }) });
  const setStatus = (next: OnboardingStatus): Promise<void> => {
    enter(next);
    return persistStatus();
  };

  const email = (message: ApplicantEmail, key: string) => acts.sendApplicantEmail({ ...message, applicationId, idempotencyKey: emailKey(key) });

  setHandler(applicationStatusQuery, statusView);
  setHandler(openTasksQuery, () => [...tasks.values()].filter((slot) => slot.state.status === 'open').map(taskView));

  setHandler(
    decideUpdate,
    async (decision) => {
      const slot = tasks.get(decision.taskId);
      const at = new Date();
      let applied: ReturnType<typeof applyDecision>;
      try {
        if (!slot) throw validateDecision(undefined, decision, decision.decider, at);
        applied = applyDecision(slot.state, decision, decision.decider, at);
      } catch (error) {
        throw isDomainError(error) ? toFailure(error) : error;
      }
      // Applied before recording, so a concurrent decision is validated against it.
      slot.state = applied.state;
      slot.recording++;
      try {
        await acts.recordDecision({
          decisionId: approvalDecisionId(decision.taskId, decision.decider.userId),
          workflowId,
          decision,
          decidedAt: at.toISOString(),
          ...(applied.outcome === undefined ? {} : { outcome: applied.outcome }),
          taskStatus: applied.state.status,
        });
      } catch (error) {
        // Not recorded, so not made: take it back (the task can be decided again) and fail the update.
        slot.state = withoutDecision(slot.state, applied.record, applied.outcome !== undefined);
        throw error;
      } finally {
        slot.recording--;
      }
      if (applied.outcome !== undefined) slot.decided = { outcome: applied.outcome, record: applied.record };
      return {
        taskId: decision.taskId,
        accepted: true,
        decision: decision.decision,
        ...(applied.outcome === undefined ? {} : { outcome: applied.outcome }),
        taskStatus: applied.state.status,
        decidedAt: applied.record.at,
      };
    },
    {
      validator: (decision) => {
        const refusal = validateDecision(tasks.get(decision?.taskId)?.state, decision, decision?.decider, new Date());
        if (refusal) throw toFailure(refusal);
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (request) => {
      withdrawal = request;
      await condition(() => status === 'withdrawn' || isFinal(status));
      return statusView();
    },
    {
      validator: (_request) => {
        if (withdrawal !== undefined || !(ONBOARDING_WITHDRAWABLE_STATUSES as readonly OnboardingStatus[]).includes(status)) {
          throw ApplicationFailure.create({
            type: OnboardingErrorCode.AlreadyFinished,
            message: `the application can no longer be withdrawn (${withdrawal ? 'withdrawn' : status})`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(
    resubmitUpdate,
    async (request) => {
      resubmission = request;
      const from = round;
      await condition(() => round > from || isFinal(status));
      return statusView();
    },
    {
      validator: (request) => {
        if (status !== 'changes-requested' || resubmission !== undefined || withdrawal !== undefined) {
          throw ApplicationFailure.create({
            type: OnboardingErrorCode.NotAwaitingChanges,
            message: `no changes are awaited (${withdrawal ? 'withdrawn' : status})`,
            nonRetryable: true,
          });
        }
        if (typeof request?.changes !== 'object' || request.changes === null || Array.isArray(request.changes)) {
          throw ApplicationFailure.create({
            type: OnboardingErrorCode.InvalidInput,
            message: 'changes must be an object of corrected fields',
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(
    confirmEmailChangeUpdate,
    async (request) => {
      emailChangesInFlight++;
      try {
        await acts.changeApplicantEmail({ applicationId, email: request.email });
      } catch (error) {
        // The activity's refusal (APPLICATION_EMAIL_TAKEN) refuses the update with its code.
        if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure)
          throw ApplicationFailure.create({ type: error.cause.type ?? undefined, message: error.cause.message, nonRetryable: true });
        throw error;
      } finally {
        emailChangesInFlight--;
      }
      return statusView();
    },
    {
      validator: (request) => {
        if (withdrawal !== undefined || !(ONBOARDING_WITHDRAWABLE_STATUSES as readonly OnboardingStatus[]).includes(status)) {
          throw ApplicationFailure.create({
            type: OnboardingErrorCode.AlreadyFinished,
            message: `the contact e-mail can no longer be changed (${withdrawal ? 'withdrawn' : status})`,
            nonRetryable: true,
          });
        }
        if (typeof request?.email !== 'string' || request.email === '') {
          throw ApplicationFailure.create({ type: OnboardingErrorCode.InvalidInput, message: 'email is required', nonRetryable: true });
        }
      },
    },
  );

  /**
   * Waits until `done`, reminding every `reminderEveryMs` from `openedAt`, until `dueAt`. At the
   * deadline it expires only when `canExpire` (a decision still being recorded is waited for).
   */
  async function boundedWait(opts: {
    openedAt: number;
    dueAt: number;
    done: () => boolean;
    canExpire: () => boolean;
    remind: (reminderNo: number) => Promise<void>;
  }): Promise<'done' | 'expired'> {
    let reminders = 0;
    for (;;) {
      if (opts.done()) return 'done';
      const now = Date.now();
      if (now >= opts.dueAt) {
        if (opts.canExpire()) return 'expired';
        await condition(() => opts.done() || opts.canExpire());
        continue;
      }
      const nextReminderAt = reminders < MAX_REMINDERS_PER_WAIT ? opts.openedAt + (reminders + 1) * reminderEveryMs : Infinity;
      if (nextReminderAt <= now) {
        reminders = Math.min(MAX_REMINDERS_PER_WAIT, Math.floor((now - opts.openedAt) / reminderEveryMs));
        await opts.remind(reminders);
        continue;
      }
      await condition(opts.done, Math.min(opts.dueAt, nextReminderAt) - now);
    }
  }

  async function openStep(step: ApprovalStep): Promise<TaskSlot> {
    await setStatus(step === 'sponsor' ? 'awaiting-sponsor' : 'awaiting-operator');
    const policy: ApprovalPolicy =
      step === 'sponsor'
        ? { role: sponsorRoleFor(input), partyId: input.sponsorPartyId as string, mode: 'any' }
        : {
            role: 'operator-admin',
            partyId: input.operatorPartyId,
            mode: input.operatorPolicy.mode,
            ...(input.operatorPolicy.approverIds ? { approverIds: input.operatorPolicy.approverIds } : {}),
          };
    if (policy.mode === 'all' && !policy.approverIds?.length) {
      policy.approverIds = await acts.resolveApprovers({ role: policy.role, partyId: policy.partyId });
      if (policy.approverIds.length === 0) {
        throw ApplicationFailure.create({
          type: OnboardingErrorCode.NoApprovers,
          message: `nobody holds ${policy.role} at party ${policy.partyId} to approve`,
          nonRetryable: true,
        });
      }
    }
    const taskId = approvalTaskId(businessKey, step, round);
    const openedAt = new Date();
    const slot: TaskSlot = {
      step,
      view: {
        taskId,
        workflowId,
        workflowType,
        stepKey: step,
        round,
        ...describeStep(input, step),
        subject: { type: 'partner-application', id: applicationId, url: `/applications/${applicationId}` },
      },
      state: openTask({ taskId, policy, openedAt, dueAt: new Date(openedAt.getTime() + expiresAfterMs) }),
      recording: 0,
    };
    // Decidable before the inbox row exists, so a row is never visible while this workflow would
    // still refuse it as unknown; recordDecision retries until openApprovalTask has written it.
    tasks.set(taskId, slot);
    await acts.openApprovalTask(taskView(slot));
    return slot;
  }

  function awaitDecision(slot: TaskSlot): Promise<'done' | 'expired'> {
    return boundedWait({
      openedAt: Date.parse(slot.state.openedAt),
      dueAt: Date.parse(slot.state.dueAt),
      done: () => withdrawal !== undefined || slot.decided !== undefined,
      canExpire: () => slot.recording === 0 && slot.state.status === 'open',
      remind: (reminderNo) => {
        const pending = pendingApprovers(slot.state);
        return acts.sendApproverReminder({
          taskId: slot.view.taskId,
          round: slot.view.round,
          reminderNo,
          idempotencyKey: `${slot.view.taskId}:reminder:${reminderNo}`,
          dueAt: slot.state.dueAt,
          policy: slot.state.policy,
          ...(slot.state.policy.mode === 'all' ? { pendingApproverIds: pending } : {}),
        });
      },
    });
  }

  async function awaitResubmission(comment: string, by: string): Promise<'done' | 'expired'> {
    const openedAt = Date.now();
    const dueAt = openedAt + expiresAfterMs;
    const respondBy = new Date(dueAt).toISOString();
    changesRequested = { comment, by, at: new Date(openedAt).toISOString(), respondBy };
    await setStatus('changes-requested');
    await email({ template: 'changes-requested', data: { comment, respondBy } }, `changes-requested:${round}`);
    return boundedWait({
      openedAt,
      dueAt,
      done: () => withdrawal !== undefined || resubmission !== undefined,
      canExpire: () => true,
      remind: (reminderNo) =>
        email({ template: 'resubmission-reminder', data: { comment, respondBy, reminderNo } }, `resubmission-reminder:${round}:${reminderNo}`),
    });
  }

  async function closeOpenTasks(closure: 'expired' | 'withdrawn' | 'cancelled'): Promise<void> {
    const at = new Date();
    const closing = [...tasks.values()].filter((slot) => slot.state.status === 'open');
    for (const slot of closing) slot.state = closeTask(slot.state, closure, at);
    for (const slot of closing) await acts.closeApprovalTask({ taskId: slot.view.taskId, status: closure, closedAt: at.toISOString() });
  }

  async function finish(final: OnboardingFinalStatus, extra: Partial<PartnerOnboardingResult> = {}): Promise<PartnerOnboardingResult> {
    // Decisions still being recorded (e.g. one that lost a race with a withdrawal) finish first.
    await condition(allHandlersFinished);
    log.info('onboarding finished', { applicationId, status: final, rounds: round });
    return { applicationId, status: final, rounds: round, ...(reason === undefined ? {} : { reason }), ...extra };
  }

  async function withdraw(): Promise<PartnerOnboardingResult> {
    const request = withdrawal as WithdrawInput;
    reason = request.reason?.trim() || `withdrawn by ${request.by}`;
    changesRequested = undefined;
    enter('withdrawn');
    await closeOpenTasks('withdrawn');
    await persistStatus();
    if (patched('onboarding-record-withdrawal')) {
      const why = request.reason?.trim();
      await acts.recordWithdrawal({ applicationId, by: request.by, ...(why ? { reason: why } : {}), at: updatedAt });
    }
    await email({ template: 'withdrawn', data: request.reason ? { reason: request.reason } : {} }, 'withdrawn');
    return finish('withdrawn');
  }

  async function reject(why: string, found?: FieldProblem[]): Promise<PartnerOnboardingResult> {
    reason = why;
    problems = found;
    changesRequested = undefined;
    await setStatus('rejected');
    await email({ template: 'rejected', data: { reason: why, problems: found ?? [] } }, 'rejected');
    return finish('rejected');
  }

  async function expire(step: OnboardingStep): Promise<PartnerOnboardingResult> {
    reason = step === 'resubmission' ? 'the requested changes were not submitted in time' : `no ${step} decision in time`;
    changesRequested = undefined;
    enter('expired');
    await closeOpenTasks('expired');
    await persistStatus();
    await email({ template: 'expired', data: { step } }, 'expired');
    return finish('expired');
  }

  await setStatus('checking');
  for (;;) {
    const checks = await acts.runAutomaticChecks({ applicationId, round });
    if (withdrawal) return withdraw();
    if (checks.problems.length > 0)
      return reject(`the application failed the automatic checks: ${checks.problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, checks.problems);
    if (round === 1) await email({ template: 'application-received', data: { kind: kindLabel(input) } }, 'application-received');

    let changes: ApprovalRecord | undefined;
    for (const step of input.sponsorPartyId ? (['sponsor', 'operator'] as const) : (['operator'] as const)) {
      if (withdrawal) return withdraw();
      const slot = await openStep(step);
      const waited = await awaitDecision(slot);
      if (withdrawal) return withdraw(); // an accepted withdrawal wins over whatever else happened
      if (waited === 'expired') return expire(step);
      const { outcome, record } = slot.decided as NonNullable<TaskSlot['decided']>;
      if (outcome === 'rejected') return reject(record.comment ?? `rejected at the ${step} step`);
      if (outcome === 'changes-requested') {
        changes = record;
        break;
      }
    }

    if (changes === undefined) break; // approved at every step

    if (round >= maxRounds)
      return reject(
        `changes were still requested after ${round} round${round === 1 ? '' : 's'}; please submit a new application (last request: ${changes.comment ?? ''})`,
      );
    const waited = await awaitResubmission(changes.comment ?? '', changes.userId);
    if (withdrawal) return withdraw();
    if (waited === 'expired') return expire('resubmission');
    const request = resubmission as ResubmitInput;
    resubmission = undefined;
    changesRequested = undefined;
    round++;
    enter('checking'); // the resubmit update answers from here on
    await acts.applyResubmission({ applicationId, round, by: request.by, changes: request.changes, ...(request.comment ? { comment: request.comment } : {}) });
    await persistStatus();
  }

  // A confirmed e-mail still being written goes in first: the invitation is sent to it. (No
  // command: a wait that is already over leaves the history as it was.)
  await condition(() => emailChangesInFlight === 0);
  await setStatus('approved');
  await setStatus('provisioning');
  const partner = await provisionPartner({ applicationId });
  partyId = partner.partyId;
  await email(
    { template: 'welcome', data: { partyId: partner.partyId, invitationUrl: partner.invitationUrl, invitationExpiresAt: partner.invitationExpiresAt } },
    'welcome',
  );
  await setStatus('active');
  return finish('active', { partyId: partner.partyId, adminUserId: partner.adminUserId });
}

function isFinal(status: OnboardingStatus): boolean {
  return (ONBOARDING_FINAL_STATUSES as readonly OnboardingStatus[]).includes(status);
}

function toFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [{ kind: error.kind, fields: error.fields }] });
}

/** Takes back a decision whose recording failed; reopens the task if that decision had closed it. */
function withoutDecision(state: ApprovalTaskState, record: ApprovalRecord, closedIt: boolean): ApprovalTaskState {
  const decisions = state.decisions.filter((d) => d !== record);
  if (!closedIt) return { ...state, decisions };
  const { closedAt: _closedAt, ...rest } = state;
  return { ...rest, decisions, status: 'open' };
}

function kindLabel(input: PartnerOnboardingInput): string {
  return input.kind === 'reseller' && input.parentResellerId ? 'sub-reseller' : input.kind;
}

function describeStep(input: PartnerOnboardingInput, step: ApprovalStep): { title: string; description: string } {
  const who = input.applicantName ?? `application ${input.applicationId}`;
  const kind = kindLabel(input);
  return step === 'sponsor'
    ? {
        title: `Confirm ${who} as your ${kind}`,
        description: `${who} applied to join as a ${kind} under your party. Confirm that you sponsor it, reject it, or ask the applicant for changes.`,
      }
    : {
        title: `Approve ${kind} application: ${who}`,
        description: `${who} applied to join as a ${kind}${input.sponsorPartyId ? ', confirmed by its sponsor' : ''}. Approve to create its party, agreement, price book and admin user; reject it, or ask the applicant for changes.`,
      };
}

/** Refuses, with a non-retryable failure, an input the process could never complete. */
function readInput(input: PartnerOnboardingInput): { reminderEveryMs: number; expiresAfterMs: number; maxRounds: number } {
  const invalid = (message: string) => ApplicationFailure.create({ type: OnboardingErrorCode.InvalidInput, message, nonRetryable: true });
  if (typeof input?.applicationId !== 'string' || input.applicationId === '') throw invalid('applicationId is required');
  if (!ONBOARDING_KINDS.includes(input.kind)) throw invalid(`kind must be one of ${ONBOARDING_KINDS.join(', ')}`);
  if (typeof input.operatorPartyId !== 'string' || input.operatorPartyId === '') throw invalid('operatorPartyId is required');
  if (!(APPROVAL_MODES as readonly unknown[]).includes(input.operatorPolicy?.mode))
    throw invalid(`operatorPolicy.mode must be one of ${APPROVAL_MODES.join(', ')}`);
  if (input.sponsorPolicy && !input.sponsorPartyId) throw invalid('sponsorPolicy needs a sponsorPartyId');
  const maxRounds = input.maxRounds ?? DEFAULT_ONBOARDING_MAX_ROUNDS;
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw invalid('maxRounds must be a positive integer');
  try {
    const { reminderEvery, expiresAfter } = input.timings ?? {};
    return {
      reminderEveryMs: parseDuration(reminderEvery, 'timings.reminderEvery'),
      expiresAfterMs: parseDuration(expiresAfter, 'timings.expiresAfter'),
      maxRounds,
    };
  } catch (error) {
    throw isDomainError(error) ? invalid(error.message) : error;
  }
}
