import { Logger } from '@nestjs/common';

/** Where a test may stall the billing run's activities: after a rating page, around an e-mail. */
export type BillingFaultPoint = 'rate' | 'email';

const calls = new Map<BillingFaultPoint, number>();
const logger = new Logger('BillingFaults');

/**
 * Test-only stalls, so a crash test can SIGKILL the worker at a known step: with NODE_ENV=test and
 * BILLING_FAULTS="rate:2,email:3", this worker process's 2nd call at `rate` (and its 3rd at `email`)
 * does its work and then never returns; later calls at that point never start. Each stall is
 * logged ("billing fault: …"), which the test waits for. Anywhere else it does nothing.
 *
 * Call `before` on entry and `after` once the work is done.
 */
export class BillingFault {
  private constructor(
    private readonly point: BillingFaultPoint,
    private readonly call: number,
    private readonly at: number | null,
  ) {}

  static enter(point: BillingFaultPoint, env: NodeJS.ProcessEnv = process.env): BillingFault {
    if (env.NODE_ENV !== 'test' || !env.BILLING_FAULTS) return new BillingFault(point, 0, null);
    const spec = env.BILLING_FAULTS.split(',')
      .map((entry) => entry.trim().split(':'))
      .find(([name]) => name === point);
    const call = (calls.get(point) ?? 0) + 1;
    calls.set(point, call);
    return new BillingFault(point, call, spec ? Number(spec[1]) : null);
  }

  /** Later calls than the stalled one never start. */
  async before(): Promise<void> {
    if (this.at !== null && this.call > this.at) await this.stall('before');
  }

  /** The stalled call's work is done (committed, sent) but the activity never completes. */
  async after(): Promise<void> {
    if (this.at !== null && this.call === this.at) await this.stall('after');
  }

  private stall(when: 'before' | 'after'): Promise<never> {
    logger.warn(`billing fault: ${this.point} ${this.call} stalls ${when} its work until the worker is killed`);
    return new Promise<never>(() => undefined);
  }
}
