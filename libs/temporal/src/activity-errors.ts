import { ApplicationFailure } from '@temporalio/common';
import { isDomainError } from '@wholesail/domain';

/**
 * Runs activity work and turns business errors (DomainError) into non-retryable
 * ApplicationFailures carrying the domain code as the failure type; anything else is rethrown and
 * retried by Temporal with backoff.
 */
export async function withDomainFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDomainError(error)) {
      throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [{ fields: error.fields, kind: error.kind }] });
    }
    throw error;
  }
}
