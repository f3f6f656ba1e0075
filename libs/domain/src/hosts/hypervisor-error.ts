import { DomainError, type DomainErrorKind } from '../errors';
import { HypervisorErrorCode } from './host-errors';

const KIND: Record<HypervisorErrorCode, DomainErrorKind> = {
  HYPERVISOR_NOT_FOUND: 'not-found',
  HYPERVISOR_ALREADY_EXISTS: 'conflict',
  HYPERVISOR_INSUFFICIENT_RESOURCES: 'conflict',
  HYPERVISOR_INVALID_STATE: 'conflict',
  HYPERVISOR_AUTH_FAILED: 'invalid',
  HYPERVISOR_UNREACHABLE: 'conflict',
  HYPERVISOR_TIMEOUT: 'conflict',
  HYPERVISOR_INVALID_REQUEST: 'invalid',
  HYPERVISOR_UNSUPPORTED: 'invalid',
  HYPERVISOR_FAULT: 'conflict',
};

/** Only these are worth retrying: the same call may well succeed later. */
const RETRYABLE: ReadonlySet<HypervisorErrorCode> = new Set([HypervisorErrorCode.Unreachable, HypervisorErrorCode.Timeout]);

/**
 * A failure reported by (or on the way to) a hypervisor, as a domain error: a stable code, the
 * hypervisor's own fault name when it gave one (`fault`, e.g. vSphere's `DuplicateName` or
 * libvirt's error text), and whether retrying can help. Activities turn retryable ones into
 * retryable Temporal failures and the rest into non-retryable ones.
 */
export class HypervisorError extends DomainError {
  readonly retryable: boolean;

  constructor(
    code: HypervisorErrorCode,
    message: string,
    readonly fault?: string,
  ) {
    super(code, message, [], KIND[code]);
    this.name = 'DomainError';
    this.retryable = RETRYABLE.has(code);
  }
}

export function isHypervisorError(value: unknown, code?: HypervisorErrorCode): value is HypervisorError {
  return value instanceof HypervisorError && (code === undefined || value.code === code);
}
