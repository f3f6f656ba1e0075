import { HypervisorError, HypervisorErrorCode } from '@wholesail/domain';

/** `work`, or HYPERVISOR_TIMEOUT (retryable) with `message` when it takes longer than `ms`. The call itself is not cancelled. */
export function withHypervisorTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HypervisorError(HypervisorErrorCode.Timeout, message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
