import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { TemporalConnectionHolder } from '@wholesail/temporal';

/**
 * Temporal as a terminus health indicator: up when the frontend answers GetSystemInfo within the
 * timeout (a gRPC deadline, so an unreachable cluster cannot hold the check open), down with the
 * client's error otherwise.
 */
@Injectable()
export class TemporalHealthIndicator {
  constructor(
    private readonly temporal: TemporalConnectionHolder,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async pingCheck<const Key extends string>(key: Key, options: { timeoutMs: number }) {
    const check = this.indicators.check(key);
    const { connection } = this.temporal;
    try {
      await connection.withDeadline(Date.now() + options.timeoutMs, () => connection.workflowService.getSystemInfo({}));
      return check.up();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return check.down({ message: `Temporal at ${connection.options.address}: ${reason}` });
    }
  }
}
