import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { registerApprovalSteps, type ApprovalStepSpec, type ApprovalStepsResult } from '../../../workflows/approvals/approval-step';

/**
 * A test workflow that uses the approval step the way solution approval and billing runs will:
 * serial steps per round, "changes requested" waits for a new version and asks again in a new
 * round, and a withdrawal interrupts whatever waits. Bundled only for tests (testWorkflowBundle).
 */
export const APPROVAL_STEP_HARNESS = 'approvalStepHarness';

export interface ApprovalStepHarnessInput {
  businessKey: string;
  /** The steps of every round (the harness sets `round`). */
  steps: Omit<ApprovalStepSpec, 'round'>[];
  maxRounds: number;
  /** How long to wait for a new version after changes were requested. */
  newVersionWithinMs: number;
}

export interface ApprovalStepHarnessResult {
  rounds: Array<{ round: number; result: ApprovalStepsResult }>;
  /** Why it stopped when that was not a round's result. */
  ended?: 'no-new-version' | 'withdrawn-while-changing';
}

/** A new version of the subject (a design, a re-rated run): the next round asks again. */
export const newVersionSignal = defineSignal('newVersion');
/** The caller's interruption: whatever waits stops and open tasks close as withdrawn. */
export const withdrawSignal = defineSignal('withdraw');

export async function approvalStepHarness(input: ApprovalStepHarnessInput): Promise<ApprovalStepHarnessResult> {
  const approvals = registerApprovalSteps({ businessKey: input.businessKey });
  let withdrawn = false;
  let newVersions = 0;
  setHandler(withdrawSignal, () => {
    withdrawn = true;
  });
  setHandler(newVersionSignal, () => {
    newVersions++;
  });

  const rounds: ApprovalStepHarnessResult['rounds'] = [];
  for (let round = 1; ; round++) {
    const result = await approvals.run(
      input.steps.map((step) => ({ ...step, round })),
      { interrupted: () => withdrawn },
    );
    rounds.push({ round, result });
    if (result.outcome === 'expired') await approvals.closeOpenTasks('expired');
    if (result.outcome === 'interrupted') await approvals.closeOpenTasks('withdrawn');
    if (result.outcome !== 'changes-requested' || round >= input.maxRounds) return { rounds };
    const versionsBefore = newVersions;
    const arrived = await condition(() => newVersions > versionsBefore || withdrawn, input.newVersionWithinMs);
    if (withdrawn) return { rounds, ended: 'withdrawn-while-changing' };
    if (!arrived) return { rounds, ended: 'no-new-version' };
  }
}
