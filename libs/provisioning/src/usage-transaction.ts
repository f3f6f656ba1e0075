import type { PlannedUsageEvent } from '@wholesail/domain';
import { createHash } from 'node:crypto';

/**
 * The transaction ID of a resource event provisioning records: derived from the usage resource
 * (solution, kind, key, SKU), the event's kind and its instant — the instant the step that changed
 * the resource stored — so every retry of a step, and every later reconciliation, derives the same
 * ID and the recorder keeps the event once. Hashed to stay within the 200 characters IDs may have.
 */
export function usageTransactionId(event: Pick<PlannedUsageEvent, 'resourceId' | 'kind' | 'occurredAt'>): string {
  const digest = createHash('sha256')
    .update(`${event.resourceId}|${event.kind}|${new Date(event.occurredAt).toISOString()}`)
    .digest('hex');
  return `provisioning:${event.kind}:${digest.slice(0, 48)}`;
}
