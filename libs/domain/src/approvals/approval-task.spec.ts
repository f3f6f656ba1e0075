import { errorOf } from '../testing/error-of';
import { ApprovalErrorCode } from './approval-errors';
import type { ApprovalPolicy, Decider } from './approval-policy';
import { applyDecision, approvalsOf, closeTask, mayDecide, openTask, pendingApprovers, validateDecision, type ApprovalTaskState } from './approval-task';
import { parseDuration } from './duration';

const openedAt = new Date('2026-11-24T10:00:00Z');
const dueAt = new Date('2026-11-27T10:00:00Z');
const before = new Date('2026-11-25T10:00:00Z');
const op = 'op-1';

const alice: Decider = { userId: 'u-alice', email: 'alice@op.test', partyId: op, roles: ['operator-admin'] };
const bob: Decider = { userId: 'u-bob', partyId: op, roles: ['operator-admin', 'operator-finance'] };
const carol: Decider = { userId: 'u-carol', partyId: op, roles: ['operator-admin'] };
const finance: Decider = { userId: 'u-fin', partyId: op, roles: ['operator-finance'] };
const elsewhere: Decider = { userId: 'u-else', partyId: 'op-2', roles: ['operator-admin'] };

const anyPolicy: ApprovalPolicy = { role: 'operator-admin', partyId: op, mode: 'any' };
const allPolicy: ApprovalPolicy = { role: 'operator-admin', partyId: op, mode: 'all', approverIds: ['u-alice', 'u-bob'] };

const open = (policy: ApprovalPolicy): ApprovalTaskState => openTask({ taskId: 't-1', policy, openedAt, dueAt });
const codeOf = (
  state: ApprovalTaskState | undefined,
  decider: Decider,
  decision: 'approve' | 'reject' | 'request-changes' = 'approve',
  comment?: string,
  now = before,
) => validateDecision(state, { decision, comment }, decider, now)?.code;

describe('approval task', () => {
  it('opens with ISO instants, no decisions, and a de-duplicated approver list', () => {
    const state = openTask({ taskId: 't-1', policy: { ...allPolicy, approverIds: ['u-alice', 'u-bob', 'u-alice'] }, openedAt, dueAt });
    expect(state).toEqual({
      taskId: 't-1',
      policy: allPolicy,
      openedAt: '2026-11-24T10:00:00.000Z',
      dueAt: '2026-11-27T10:00:00.000Z',
      status: 'open',
      decisions: [],
    });
  });

  it('refuses an "all of" policy without approvers and a deadline that is not after the opening', () => {
    expect(errorOf(() => openTask({ taskId: 't', policy: { ...allPolicy, approverIds: [] }, openedAt, dueAt })).code).toBe(ApprovalErrorCode.InvalidPolicy);
    expect(errorOf(() => openTask({ taskId: 't', policy: { role: 'operator-admin', partyId: op, mode: 'all' }, openedAt, dueAt })).code).toBe(
      ApprovalErrorCode.InvalidPolicy,
    );
    expect(errorOf(() => openTask({ taskId: 't', policy: anyPolicy, openedAt, dueAt: openedAt })).code).toBe(ApprovalErrorCode.InvalidPolicy);
  });

  describe("'any' mode", () => {
    it('is decided by the first eligible approval', () => {
      const { state, outcome, record } = applyDecision(open(anyPolicy), { decision: 'approve' }, alice, before);
      expect(outcome).toBe('approved');
      expect(state.status).toBe('approved');
      expect(state.closedAt).toBe(before.toISOString());
      expect(record).toEqual({ userId: 'u-alice', email: 'alice@op.test', partyId: op, decision: 'approve', at: before.toISOString() });
      expect(codeOf(state, bob)).toBe(ApprovalErrorCode.AlreadyDecided);
    });

    it('is decided by a rejection or a request for changes, with the comment trimmed', () => {
      const rejected = applyDecision(open(anyPolicy), { decision: 'reject', comment: '  tax ID unknown ' }, bob, before);
      expect(rejected.outcome).toBe('rejected');
      expect(rejected.record.comment).toBe('tax ID unknown');
      const changes = applyDecision(open(anyPolicy), { decision: 'request-changes', comment: 'add a billing e-mail' }, bob, before);
      expect(changes.outcome).toBe('changes-requested');
      expect(changes.state.status).toBe('changes-requested');
    });

    it('narrows the eligible users to named approvers when the policy names them', () => {
      const state = open({ ...anyPolicy, approverIds: ['u-carol'] });
      expect(codeOf(state, alice)).toBe(ApprovalErrorCode.NotYours);
      expect(codeOf(state, carol)).toBeUndefined();
    });
  });

  describe("'all' mode", () => {
    it('stays open until every named approver has approved', () => {
      const first = applyDecision(open(allPolicy), { decision: 'approve' }, alice, before);
      expect(first.outcome).toBeUndefined();
      expect(first.state.status).toBe('open');
      expect(pendingApprovers(first.state)).toEqual(['u-bob']);
      expect(codeOf(first.state, alice)).toBe(ApprovalErrorCode.AlreadyDecided);
      expect(codeOf(first.state, alice, 'reject', 'changed my mind')).toBe(ApprovalErrorCode.AlreadyDecided);
      const second = applyDecision(first.state, { decision: 'approve' }, bob, before);
      expect(second.outcome).toBe('approved');
      expect(approvalsOf(second.state).map((a) => a.userId)).toEqual(['u-alice', 'u-bob']);
      expect(pendingApprovers(second.state)).toEqual([]);
    });

    it('is decided at once by one rejection, even after approvals', () => {
      const first = applyDecision(open(allPolicy), { decision: 'approve' }, alice, before);
      const rejected = applyDecision(first.state, { decision: 'reject', comment: 'no' }, bob, before);
      expect(rejected.outcome).toBe('rejected');
      expect(rejected.state.decisions.map((d) => d.decision)).toEqual(['approve', 'reject']);
    });

    it('refuses an eligible-looking user who is not a named approver', () => {
      expect(codeOf(open(allPolicy), carol)).toBe(ApprovalErrorCode.NotYours);
    });
  });

  describe('validation', () => {
    const state = open(anyPolicy);

    it('refuses an unknown task', () => {
      expect(codeOf(undefined, alice)).toBe(ApprovalErrorCode.UnknownTask);
    });

    it('refuses the wrong role or the wrong party', () => {
      expect(codeOf(state, finance)).toBe(ApprovalErrorCode.NotYours);
      expect(codeOf(state, elsewhere)).toBe(ApprovalErrorCode.NotYours);
      expect(validateDecision(state, { decision: 'approve' }, finance, before)?.kind).toBe('forbidden');
    });

    it('tells someone else that the task is not theirs before anything about its state', () => {
      expect(codeOf(closeTask(state, 'expired', before), elsewhere)).toBe(ApprovalErrorCode.NotYours);
    });

    it('refuses decisions at and after the deadline, and on a task closed as expired', () => {
      expect(codeOf(state, alice, 'approve', undefined, dueAt)).toBe(ApprovalErrorCode.Expired);
      expect(codeOf(state, alice, 'approve', undefined, new Date(dueAt.getTime() - 1))).toBeUndefined();
      expect(codeOf(closeTask(state, 'expired', before), alice)).toBe(ApprovalErrorCode.Expired);
    });

    it('refuses decisions on a withdrawn or cancelled task as already decided', () => {
      expect(codeOf(closeTask(state, 'withdrawn', before), alice)).toBe(ApprovalErrorCode.AlreadyDecided);
      expect(codeOf(closeTask(state, 'cancelled', before), alice)).toBe(ApprovalErrorCode.AlreadyDecided);
    });

    it('requires a comment to reject or request changes', () => {
      expect(codeOf(state, alice, 'reject')).toBe(ApprovalErrorCode.CommentRequired);
      expect(codeOf(state, alice, 'request-changes', '   ')).toBe(ApprovalErrorCode.CommentRequired);
      expect(validateDecision(state, { decision: 'reject' }, alice, before)?.fields).toEqual([{ field: 'comment', problem: 'is required to reject' }]);
      expect(codeOf(state, alice, 'reject', 'duplicate of another application')).toBeUndefined();
    });

    it('refuses a malformed decision or decider', () => {
      expect(validateDecision(state, { decision: 'maybe' as never }, alice, before)?.code).toBe(ApprovalErrorCode.InvalidDecision);
      expect(validateDecision(state, { decision: 'approve' }, { ...alice, userId: '' }, before)?.code).toBe(ApprovalErrorCode.InvalidDecision);
    });

    it('makes applyDecision throw what validateDecision reports', () => {
      expect(errorOf(() => applyDecision(state, { decision: 'approve' }, finance, before)).code).toBe(ApprovalErrorCode.NotYours);
    });

    it('lists a task in the inbox of those who may still decide it', () => {
      const halfway = applyDecision(open(allPolicy), { decision: 'approve' }, alice, before).state;
      expect(mayDecide(halfway, alice, before)).toBe(false);
      expect(mayDecide(halfway, bob, before)).toBe(true);
      expect(mayDecide(halfway, bob, dueAt)).toBe(false);
    });
  });

  it('closes only an open task', () => {
    const decided = applyDecision(open(anyPolicy), { decision: 'approve' }, alice, before).state;
    expect(closeTask(decided, 'expired', dueAt)).toBe(decided);
    expect(closeTask(open(anyPolicy), 'withdrawn', before)).toMatchObject({ status: 'withdrawn', closedAt: before.toISOString() });
  });
});

describe('parseDuration', () => {
  it('reads Temporal-style durations', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('2.5 s')).toBe(2500);
    expect(parseDuration('15 minutes')).toBe(900_000);
    expect(parseDuration('3 days')).toBe(259_200_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    expect(parseDuration('250')).toBe(250);
  });

  it('gives the values the product already uses', () => {
    const sameAsTemporal: Record<string, number> = {
      '1s': 1_000,
      '30s': 30_000,
      '15 minutes': 900_000,
      '1 hour': 3_600_000,
      '1 day': 86_400_000,
      '2 days': 172_800_000,
      '14 days': 1_209_600_000,
    };
    for (const [text, millis] of Object.entries(sameAsTemporal)) {
      expect(parseDuration(text)).toBe(millis);
    }
  });

  it('refuses what is not a positive duration', () => {
    for (const bad of ['', '   ', '0s', '-1s', 'soon', '3 fortnights', '1e3s', '1'.repeat(101)]) {
      expect(errorOf(() => parseDuration(bad, 'timings.expiresAfter'))).toMatchObject({
        code: ApprovalErrorCode.InvalidDuration,
        fields: [{ field: 'timings.expiresAfter' }],
      });
    }
  });
});
