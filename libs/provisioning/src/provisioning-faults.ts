import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { APP_CONFIG, type AppConfig, type ProvisioningFault } from '@wholesail/config';
import { DomainError, ProvisioningErrorCode } from '@wholesail/domain';

/**
 * Failures injected into provisioning activities by PROVISIONING_FAULTS, which the configuration
 * accepts only when NODE_ENV=test: the saga, retry and crash tests use it against the real worker
 * and hypervisors. Every activity calls `before` and `after` around its work; without faults they
 * return at once.
 */
@Injectable()
export class ProvisioningFaults {
  private readonly faults: readonly ProvisioningFault[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.faults = config.provisioning.faults;
  }

  async before(activity: string, key: string): Promise<void> {
    if (this.find(activity, key, 'fail')) throw injected(activity, key, 'before its work');
  }

  async after(activity: string, key: string): Promise<void> {
    if (this.find(activity, key, 'fail-after')) throw injected(activity, key, 'after its work');
    if (this.find(activity, key, 'transient') && currentAttempt() === 1) {
      throw new Error(`injected transient failure of ${activity} for ${key} after its work (attempt 1)`);
    }
    if (this.find(activity, key, 'stall')) await new Promise<never>(() => undefined); // until the process is killed
  }

  private find(activity: string, key: string, mode: ProvisioningFault['mode']): boolean {
    return this.faults.some((fault) => fault.activity === activity && fault.key === key && fault.mode === mode);
  }
}

function injected(activity: string, key: string, when: string): DomainError {
  return DomainError.conflict(ProvisioningErrorCode.InjectedFault, `injected failure of ${activity} for ${key} ${when} (PROVISIONING_FAULTS)`);
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
