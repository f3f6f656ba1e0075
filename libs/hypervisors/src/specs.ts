import { HypervisorError, HypervisorErrorCode } from '@wholesail/domain';
import { LABEL_KEY_PATTERN, type VmSize } from './hypervisor.driver';

/** Bounds a driver checks before calling the hypervisor (which would refuse less clearly). */
export const VM_LIMITS = { vcpu: { min: 1, max: 768 }, memoryMiB: { min: 4, max: 24 * 1024 * 1024 }, diskGb: { min: 1, max: 62 * 1024 } };

export function assertVmSize(size: VmSize): void {
  for (const key of ['vcpu', 'memoryMiB', 'diskGb'] as const) {
    const value = size[key];
    if (value === undefined && key === 'diskGb') continue;
    const { min, max } = VM_LIMITS[key];
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `${key} must be a whole number from ${min} to ${max} (got ${String(value)})`);
    }
  }
}

/** Label keys like "environment" or "resource.id"; values of printable characters, at most 256. */
export function assertLabels(labels: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!LABEL_KEY_PATTERN.test(key)) throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `label key "${key.slice(0, 80)}" is not allowed`);
    // eslint-disable-next-line no-control-regex
    if (typeof value !== 'string' || value.length > 256 || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `label ${key} must be at most 256 printable characters`);
    }
  }
}
