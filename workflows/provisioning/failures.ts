import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { ProvisioningErrorCode } from '@wholesail/domain';
import { messageOf } from './saga';

/** What a failed step reports: its code (the activity's failure type) and message. */
export function failureOf(error: unknown, step?: string): { code: string; message: string; step?: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const code =
    cause instanceof ApplicationFailure && cause.type
      ? cause.type
      : cause instanceof TimeoutFailure
        ? 'HYPERVISOR_TIMEOUT'
        : error instanceof ApplicationFailure && error.type
          ? error.type
          : 'PROVISIONING_FAILED';
  return { code, message: messageOf(error), ...(step ? { step } : {}) };
}

/** Ends a run that failed with a clear, non-retryable failure typed by the failing step's code. */
export function failRun(what: string, failure: { code: string; message: string; step?: string }, details: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: failure.code,
    message: `${what} failed${failure.step ? ` at ${failure.step}` : ''}: ${failure.message}`,
    nonRetryable: true,
    details: [details],
  });
}

export function invalidPlan(problems: { field: string; problem: string }[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: ProvisioningErrorCode.InvalidPlan,
    message: `the provisioning plan is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
    nonRetryable: true,
    details: [{ fields: problems }],
  });
}
