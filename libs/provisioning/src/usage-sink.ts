/**
 * Where provisioning records resource events: the usage library's `UsageRecorder`, bound to this
 * token by the worker (the recorder is idempotent by transaction ID and validates each event).
 */
export const USAGE_SINK = Symbol('USAGE_SINK');

export interface ProvisioningUsageEvent {
  transactionId: string;
  clientId: string;
  resourceId: string;
  sku: string;
  kind: 'start' | 'change' | 'stop';
  /** A decimal string; absent for a stop. */
  quantity?: string;
  occurredAt: string;
}

export interface UsageSink {
  recordMany(
    events: readonly ProvisioningUsageEvent[],
    context: { source: 'provisioning'; sourceRef?: string | null; recordedBy: string },
  ): Promise<readonly { transactionId: string; status: 'recorded' | 'duplicate' }[]>;
}

/** The most events one call records (the recorder's batch limit). */
export const USAGE_BATCH = 250;
