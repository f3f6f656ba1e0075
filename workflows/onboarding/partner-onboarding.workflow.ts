import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  applicationStatusQuery,
  confirmEmailChangeUpdate,
  DEFAULT_ONBOARDING_MAX_ROUNDS,
  ONBOARDING_FINAL_STATUSES,
  ONBOARDING_KINDS,
  onboardingWorkflowId,
  ONBOARDING_WITHDRAWABLE_STATUSES,
  OnboardingErrorCode,
  resubmitUpdate,
  sponsorRoleFor,
  withdrawUpdate,
  type ApplicantEmail,
  type ApplicationStatusView,
  type OnboardingFinalStatus,
  type OnboardingOwnActivities,
  type OnboardingStatus,
  type OnboardingStep,
  type PartnerOnboardingInput,
  type PartnerOnboardingResult,
  type ProvisionedPartner,
  type ResubmitInput,
  type WithdrawInput,
} from '@wholesail/contracts';
import { APPROVAL_MODES, isDomainError, parseDuration, PartyErrorCode, type FieldProblem } from '@wholesail/domain';
import { registerApprovalSteps, type ApprovalStepSpec, type ApprovalTiming } from '../approvals/approval-step';
import { boundedWait } from '../approvals/bounded-wait';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 } as const;
const acts = proxyActivities<OnboardingOwnActivities>({ startToCloseTimeout: '30 seconds', retry });
const { provisionPartner } = proxyActivities<OnboardingOwnActivities>({ startToCloseTimeout: '5 minutes', retry });

type ApprovalStep = Exclude<OnboardingStep, 'resubmission'>;

/**
 * Partner onboarding, one run per application (`onboarding:<applicationId>`): automatic checks →
 * the sponsor's confirmation (when there is a sponsor) → the operator's approval → provisioning
 * and a welcome e-mail. Every human wait reminds at `reminderEvery` and expires after
 * `expiresAfter`. Decisions arrive only through the validated `decide` update; the applicant can
 * withdraw while anything is pending and resubmit after changes were requested (a new round).
 */
export async function partnerOnboarding(input: PartnerOnboardingInput): Promise<PartnerOnboardingResult> {
  const { applicationId } = input;
  const { reminderEveryMs, expiresAfterMs, maxRounds } = readInput(input);
  // Task ids and idempotency keys come from the business key, not from workflowInfo(): decisions
  // name task ids, so a replay (which runs under another workflow ID) must derive the same ones.
  // In production the two are equal: the API starts the run as onboardingWorkflowId(applicationId).
  const businessKey = onboardingWorkflowId(applicationId);
  const emailKey = (suffix: string) => `${businessKey}:${suffix}`;
  const timing: ApprovalTiming = { reminderEveryMs, expiresAfterMs };
  const approvals = registerApprovalSteps({ businessKey });

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

  /** The inbox task of a human step in the current round. */
  function stepSpec(step: ApprovalStep): ApprovalStepSpec {
    return {
      stepKey: step,
      round,
      ...describeStep(input, step),
      subject: { type: 'partner-application', id: applicationId, url: `/applications/${applicationId}` },
      policy:
        step === 'sponsor'
          ? { role: sponsorRoleFor(input), partyId: input.sponsorPartyId as string, mode: 'any' }
          : {
              role: 'operator-admin',
              partyId: input.operatorPartyId,
              mode: input.operatorPolicy.mode,
              ...(input.operatorPolicy.approverIds ? { approverIds: input.operatorPolicy.approverIds } : {}),
            },
      timing,
    };
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
      reminderEveryMs,
      done: () => withdrawal !== undefined || resubmission !== undefined,
      remind: (reminderNo) =>
        email({ template: 'resubmission-reminder', data: { comment, respondBy, reminderNo } }, `resubmission-reminder:${round}:${reminderNo}`),
    });
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
    await approvals.closeOpenTasks('withdrawn');
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
    await approvals.closeOpenTasks('expired');
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

    const steps: ApprovalStep[] = input.sponsorPartyId ? ['sponsor', 'operator'] : ['operator'];
    const decided = await approvals.run(steps.map(stepSpec), {
      interrupted: () => withdrawal !== undefined,
      beforeOpen: (spec) => setStatus(spec.stepKey === 'sponsor' ? 'awaiting-sponsor' : 'awaiting-operator'),
    });
    if (decided.outcome === 'interrupted') return withdraw(); // an accepted withdrawal wins over whatever else happened
    if (decided.outcome === 'expired') return expire(decided.stepKey as ApprovalStep);
    if (decided.outcome === 'rejected') return reject(decided.record.comment ?? `rejected at the ${decided.stepKey} step`);
    if (decided.outcome === 'approved') break; // at every step
    const changes = decided.record; // changes were requested at decided.stepKey

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
  let partner: ProvisionedPartner;
  try {
    partner = await provisionPartner({ applicationId });
  } catch (error) {
    // Since the checks, a partner with this name or tax ID (or a user with this e-mail) was created,
    // and the database refused a second one: the applicant is told, as for a failed check.
    const taken = identityTaken(error);
    if (!taken) throw error;
    return reject(`since the application was checked, another partner or user took its identity: ${taken.message}`, taken.fields);
  }
  partyId = partner.partyId;
  await email(
    { template: 'welcome', data: { partyId: partner.partyId, invitationUrl: partner.invitationUrl, invitationExpiresAt: partner.invitationExpiresAt } },
    'welcome',
  );
  await setStatus('active');
  return finish('active', { partyId: partner.partyId, adminUserId: partner.adminUserId });
}

/** What a provisioning refused as taken (PARTY_DUPLICATE, USER_DUPLICATE), or undefined for any other failure. */
function identityTaken(error: unknown): { message: string; fields: FieldProblem[] } | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || (cause.type !== PartyErrorCode.Duplicate && cause.type !== PartyErrorCode.UserDuplicate)) return undefined;
  return { message: cause.message, fields: (cause.details?.[0] as { fields?: FieldProblem[] } | undefined)?.fields ?? [] };
}

function isFinal(status: OnboardingStatus): boolean {
  return (ONBOARDING_FINAL_STATUSES as readonly OnboardingStatus[]).includes(status);
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
