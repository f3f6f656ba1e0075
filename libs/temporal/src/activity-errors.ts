import { ApplicationFailure } from '@temporalio/common';
import { isDomainError } from '@wholesail/domain';

/**
 * Runs activity work and turns business errors (DomainError) into non-retryable
 * ApplicationFailures carrying the domain code as the failure type; anything else is rethrown and
 * retried by Temporal with backoff. A domain error that says it is `retryable` (a hypervisor that
 * could not be reached, a task that timed out) keeps its code but stays retryable.
 */
export async function withDomainFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDomainError(error)) {
      const retryable = (error as { retryable?: unknown }).retryable === true;
      throw ApplicationFailure.create({
        type: error.code,
        message: error.message,
        nonRetryable: !retryable,
        details: [{ fields: error.fields, kind: error.kind }],
      });
    }
    throw error;
  }
}
