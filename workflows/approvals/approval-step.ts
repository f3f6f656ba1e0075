import { ApplicationFailure, proxyActivities, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import {
  approvalDecisionId,
  approvalTaskId,
  decideUpdate,
  openTasksQuery,
  type ApprovalActivities,
  type ApprovalTaskView,
  type DecisionResult,
} from '@wholesail/contracts';
import {
  ApprovalErrorCode,
  applyDecision,
  approvalsOf,
  closeTask,
  isDomainError,
  openTask,
  pendingApprovers,
  validateDecision,
  type ApprovalClosure,
  type ApprovalOutcome,
  type ApprovalPolicy,
  type ApprovalRecord,
  type ApprovalTaskState,
  type DomainError,
} from '@wholesail/domain';
import { boundedWait } from './bounded-wait';

/**
 * Options of the approval activities unless the workflow passes its own. Changing the activity
 * names or the order of calls breaks running workflows (see the saved histories); options do not.
 */
export const APPROVAL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
};

/** Bounds of one human wait: a reminder every `reminderEveryMs` (at most `maxReminders`), expiry `expiresAfterMs` after it opened. */
export interface ApprovalTiming {
  reminderEveryMs: number;
  expiresAfterMs: number;
  /** `DEFAULT_MAX_REMINDERS` (10) when absent. */
  maxReminders?: number;
}

/**
 * One human step of one round: what is asked, of whom, about what, and how long it may wait.
 * `stepKey` names the step (no ':'); asking again after "changes requested" is round 2, 3, … (a new task).
 */
export interface ApprovalStepSpec extends Pick<ApprovalTaskView, 'stepKey' | 'round' | 'title' | 'description' | 'subject'> {
  /**
   * Who decides. An "all of" policy without `approverIds` is resolved when the task opens (everyone
   * holding the role at the party then); nobody found fails the workflow with APPROVAL_NO_APPROVERS.
   */
  policy: ApprovalPolicy;
  timing: ApprovalTiming;
}

/** A task this workflow opened. */
export interface ApprovalTask {
  readonly taskId: string;
  readonly stepKey: string;
  readonly round: number;
  /** The task as the inbox shows it now (status, approvals so far). */
  view(): ApprovalTaskView;
}

/** How one wait ended. An expired or interrupted task is still open: close it with `closeOpenTasks`. */
export type ApprovalWaitResult =
  { status: 'decided'; outcome: ApprovalOutcome; record: ApprovalRecord; approvals: ApprovalRecord[] } | { status: 'expired' } | { status: 'interrupted' };

/** An approved step: its task and who approved it (several in "all of" mode). */
export interface StepApproval {
  stepKey: string;
  taskId: string;
  approvals: ApprovalRecord[];
}

/**
 * How a list of serial steps ended. `steps` lists the steps approved before it ended. A decision
 * that rejects or asks for changes always carries a comment (the domain requires it).
 */
export type ApprovalStepsResult =
  | { outcome: 'approved'; steps: StepApproval[] }
  | { outcome: 'rejected' | 'changes-requested'; stepKey: string; taskId: string; comment: string; record: ApprovalRecord; steps: StepApproval[] }
  | { outcome: 'expired'; stepKey: string; taskId: string; steps: StepApproval[] }
  | { outcome: 'interrupted'; stepKey?: string; taskId?: string; steps: StepApproval[] };

export interface RunStepsOptions {
  /** A caller's reason to stop waiting (e.g. a withdrawal): checked before each step opens and ends every wait. */
  interrupted?: () => boolean;
  /** Runs before each step opens (e.g. the workflow's own status); no interruption check between it and the opening. */
  beforeOpen?: (step: ApprovalStepSpec) => Promise<void>;
}

export interface ApprovalStepsOptions {
  /**
   * The business key task ids derive from (`approvalTaskId(businessKey, stepKey, round)`), e.g.
   * `onboarding:<applicationId>`. Not workflowInfo().workflowId: a replay runs under another ID, and
   * decisions name task ids. In production the API starts the workflow under this same key.
   */
  businessKey: string;
  activityOptions?: ActivityOptions;
}

/** The approval step of one workflow run. See workflows/approvals/README.md. */
export interface ApprovalSteps {
  /** Opens the task: resolves "all of" approvers when the policy names none, then writes the inbox row (which e-mails the approvers). */
  open(spec: ApprovalStepSpec): Promise<ApprovalTask>;
  /** Waits for the task's decision, reminding its pending approvers, until its deadline or until `interrupted`. */
  awaitDecision(task: ApprovalTask, options?: Pick<RunStepsOptions, 'interrupted'>): Promise<ApprovalWaitResult>;
  /** Opens and awaits each step in turn; stops at the first that is not approved. */
  run(steps: readonly ApprovalStepSpec[], options?: RunStepsOptions): Promise<ApprovalStepsResult>;
  /** Closes every open task (expired, withdrawn, cancelled): at once for queries and decisions, then in the inbox. */
  closeOpenTasks(closure: ApprovalClosure): Promise<void>;
  /** The open tasks, as the `openTasks` query returns them. */
  openTasks(): ApprovalTaskView[];
}

/** A human step of the current run: what the inbox shows, the task's state, and its recording. */
interface TaskSlot extends ApprovalTask {
  readonly fixed: Omit<ApprovalTaskView, 'policy' | 'status' | 'approvals' | 'closedAt' | 'openedAt' | 'dueAt'>;
  readonly timing: ApprovalTiming;
  state: ApprovalTaskState;
  /** Accepted decisions whose recording activity has not finished yet. */
  recording: number;
  /** The deciding decision, set once it is recorded: the workflow moves on only then. */
  decided?: { outcome: ApprovalOutcome; record: ApprovalRecord };
}

/**
 * Registers the `decide` update (with its validator) and the `openTasks` query for this run and
 * returns the approval step. Call it once, synchronously at the start of the workflow function, so
 * the handlers exist before the first decision can arrive.
 */
export function registerApprovalSteps(options: ApprovalStepsOptions): ApprovalSteps {
  const { workflowId, workflowType } = workflowInfo();
  const acts = proxyActivities<ApprovalActivities>(options.activityOptions ?? APPROVAL_ACTIVITY_OPTIONS);
  const tasks = new Map<string, TaskSlot>();

  const viewOf = (slot: TaskSlot): ApprovalTaskView => ({
    ...slot.fixed,
    policy: slot.state.policy,
    openedAt: slot.state.openedAt,
    dueAt: slot.state.dueAt,
    status: slot.state.status,
    approvals: approvalsOf(slot.state),
    ...(slot.state.closedAt === undefined ? {} : { closedAt: slot.state.closedAt }),
  });
  const openViews = (): ApprovalTaskView[] => [...tasks.values()].filter((slot) => slot.state.status === 'open').map(viewOf);

  setHandler(openTasksQuery, openViews);

  setHandler(
    decideUpdate,
    async (decision): Promise<DecisionResult> => {
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

  async function open(spec: ApprovalStepSpec): Promise<ApprovalTask> {
    checkSpec(spec);
    const taskId = approvalTaskId(options.businessKey, spec.stepKey, spec.round);
    if (tasks.has(taskId)) throw invalidSpec(`step ${spec.stepKey} of round ${spec.round} is already open or decided: ask again in a new round`);
    const policy: ApprovalPolicy = { ...spec.policy, ...(spec.policy.approverIds ? { approverIds: [...spec.policy.approverIds] } : {}) };
    if (policy.mode === 'all' && !policy.approverIds?.length) {
      policy.approverIds = await acts.resolveApprovers({ role: policy.role, partyId: policy.partyId });
      if (policy.approverIds.length === 0) {
        throw ApplicationFailure.create({
          type: ApprovalErrorCode.NoApprovers,
          message: `nobody holds ${policy.role} at party ${policy.partyId} to approve`,
          nonRetryable: true,
        });
      }
    }
    const openedAt = new Date();
    let state: ApprovalTaskState;
    try {
      state = openTask({ taskId, policy, openedAt, dueAt: new Date(openedAt.getTime() + spec.timing.expiresAfterMs) });
    } catch (error) {
      throw isDomainError(error) ? toFailure(error) : error;
    }
    const slot: TaskSlot = {
      taskId,
      stepKey: spec.stepKey,
      round: spec.round,
      view: () => viewOf(slot),
      fixed: {
        taskId,
        workflowId,
        workflowType,
        stepKey: spec.stepKey,
        round: spec.round,
        title: spec.title,
        description: spec.description,
        subject: spec.subject,
      },
      timing: spec.timing,
      state,
      recording: 0,
    };
    // Decidable before the inbox row exists, so a row is never visible while this workflow would
    // still refuse it as unknown; recordDecision retries until openApprovalTask has written it.
    tasks.set(taskId, slot);
    await acts.openApprovalTask(viewOf(slot));
    return slot;
  }

  async function awaitDecision(task: ApprovalTask, waitOptions: Pick<RunStepsOptions, 'interrupted'> = {}): Promise<ApprovalWaitResult> {
    const slot = tasks.get(task.taskId);
    if (!slot) throw invalidSpec(`task ${task.taskId} was not opened by this workflow`);
    const interrupted = waitOptions.interrupted ?? (() => false);
    const waited = await boundedWait({
      openedAt: Date.parse(slot.state.openedAt),
      dueAt: Date.parse(slot.state.dueAt),
      reminderEveryMs: slot.timing.reminderEveryMs,
      maxReminders: slot.timing.maxReminders,
      done: () => interrupted() || slot.decided !== undefined,
      canExpire: () => slot.recording === 0 && slot.state.status === 'open',
      remind: (reminderNo) => {
        const pending = pendingApprovers(slot.state);
        return acts.sendApproverReminder({
          taskId: slot.taskId,
          round: slot.round,
          reminderNo,
          idempotencyKey: `${slot.taskId}:reminder:${reminderNo}`,
          dueAt: slot.state.dueAt,
          policy: slot.state.policy,
          ...(slot.state.policy.mode === 'all' ? { pendingApproverIds: pending } : {}),
        });
      },
    });
    // An interruption wins over whatever else happened meanwhile.
    if (interrupted()) return { status: 'interrupted' };
    if (waited === 'expired') return { status: 'expired' };
    const { outcome, record } = slot.decided as NonNullable<TaskSlot['decided']>;
    return { status: 'decided', outcome, record, approvals: approvalsOf(slot.state) };
  }

  async function run(steps: readonly ApprovalStepSpec[], runOptions: RunStepsOptions = {}): Promise<ApprovalStepsResult> {
    const interrupted = runOptions.interrupted ?? (() => false);
    const approved: StepApproval[] = [];
    for (const step of steps) {
      if (interrupted()) return { outcome: 'interrupted', steps: approved };
      await runOptions.beforeOpen?.(step);
      const task = await open(step);
      const waited = await awaitDecision(task, { interrupted });
      const at = { stepKey: task.stepKey, taskId: task.taskId };
      if (waited.status === 'interrupted') return { outcome: 'interrupted', ...at, steps: approved };
      if (waited.status === 'expired') return { outcome: 'expired', ...at, steps: approved };
      if (waited.outcome !== 'approved')
        return { outcome: waited.outcome, ...at, comment: waited.record.comment ?? '', record: waited.record, steps: approved };
      approved.push({ ...at, approvals: waited.approvals });
    }
    return { outcome: 'approved', steps: approved };
  }

  async function closeOpenTasks(closure: ApprovalClosure): Promise<void> {
    const at = new Date();
    const closing = [...tasks.values()].filter((slot) => slot.state.status === 'open');
    for (const slot of closing) slot.state = closeTask(slot.state, closure, at);
    for (const slot of closing) await acts.closeApprovalTask({ taskId: slot.taskId, status: closure, closedAt: at.toISOString() });
  }

  return { open, awaitDecision, run, closeOpenTasks, openTasks: openViews };
}

function toFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [{ kind: error.kind, fields: error.fields }] });
}

function invalidSpec(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ApprovalErrorCode.InvalidPolicy, message, nonRetryable: true });
}

/** Refuses, failing the workflow, a step it could never run. */
function checkSpec(spec: ApprovalStepSpec): void {
  if (typeof spec.stepKey !== 'string' || !/^[^:]+$/.test(spec.stepKey)) throw invalidSpec('stepKey must be a non-empty name without ":"');
  if (!Number.isInteger(spec.round) || spec.round < 1) throw invalidSpec('round must be a positive integer');
  const { reminderEveryMs, expiresAfterMs, maxReminders } = spec.timing ?? {};
  if (!(reminderEveryMs > 0) || !(expiresAfterMs > 0) || (maxReminders !== undefined && !(Number.isInteger(maxReminders) && maxReminders >= 0))) {
    throw ApplicationFailure.create({
      type: ApprovalErrorCode.InvalidDuration,
      message: 'timing needs a positive reminderEveryMs and expiresAfterMs (and a maxReminders ≥ 0, when given)',
      nonRetryable: true,
    });
  }
}

/** Takes back a decision whose recording failed; reopens the task if that decision had closed it. */
function withoutDecision(state: ApprovalTaskState, record: ApprovalRecord, closedIt: boolean): ApprovalTaskState {
  const decisions = state.decisions.filter((d) => d !== record);
  if (!closedIt) return { ...state, decisions };
  const { closedAt: _closedAt, ...rest } = state;
  return { ...rest, decisions, status: 'open' };
}
