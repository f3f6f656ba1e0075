import { ApplicationFailure } from '@temporalio/common';
import { DomainError, HypervisorError } from '@wholesail/domain';
import { withDomainFailures } from './activity-errors';

describe('withDomainFailures', () => {
  const failureOf = async (error: unknown) => {
    try {
      await withDomainFailures(() => Promise.reject(error));
    } catch (caught) {
      return caught;
    }
    throw new Error('expected a failure');
  };

  it('makes business errors non-retryable failures typed by their code', async () => {
    const failure = (await failureOf(DomainError.conflict('HOST_CAPACITY_EXHAUSTED', 'full'))) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'HOST_CAPACITY_EXHAUSTED', nonRetryable: true });
    expect((await failureOf(new HypervisorError('HYPERVISOR_NOT_FOUND', 'gone'))) as ApplicationFailure).toMatchObject({ nonRetryable: true });
  });

  it('keeps retryable hypervisor errors retryable, with their code', async () => {
    const failure = (await failureOf(new HypervisorError('HYPERVISOR_UNREACHABLE', 'connection refused'))) as ApplicationFailure;
    expect(failure).toMatchObject({ type: 'HYPERVISOR_UNREACHABLE', nonRetryable: false, message: 'connection refused' });
  });

  it('passes other errors through for Temporal to retry', async () => {
    const error = new Error('socket hang up');
    expect(await failureOf(error)).toBe(error);
  });
});
