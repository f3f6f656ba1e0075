import { parseDecimal } from '../money';
import type { BillingLine, PlannedResourceKind } from './plan';
import { usageResourceId, type ResourceState } from './environment';

/** A billing line as recorded in usage: started (or last changed) at `since`. */
export interface BilledLine extends BillingLine {
  since: string;
}

/** What provisioning knows of a resource's billing: what it should bill, what is recorded, and when its life changed. */
export interface BillableResource {
  kind: PlannedResourceKind;
  key: string;
  state: ResourceState;
  /** The lines of its planned spec. */
  billing: readonly BillingLine[];
  /** The lines recorded as started and not stopped. */
  billed: readonly BilledLine[];
  /** When it started running (the VM powered on); ISO 8601. */
  startedAt?: string | null;
  /** When its size last changed (a resize applied); ISO 8601. */
  changedAt?: string | null;
  /** When it was destroyed; ISO 8601. */
  stoppedAt?: string | null;
}

export interface PlannedUsageEvent {
  resourceId: string;
  sku: string;
  kind: 'start' | 'change' | 'stop';
  /** null for a stop. */
  quantity: string | null;
  occurredAt: string;
}

/**
 * The resource events that bring what usage has recorded for a resource in line with what it is
 * now: a running resource bills its planned lines, anything else bills nothing. A line not yet
 * recorded starts — when the resource started, or, for a line a resize added, when it changed; a
 * line whose quantity differs changes when the resource changed; a line no longer billed stops when
 * the resource was destroyed (or changed). The events depend only on the resource's state and
 * instants, so running this again after a retry yields the same events (the recorder keeps one).
 * Returns the events and the lines billed once they are recorded.
 */
export function reconcileUsage(solutionId: string, resource: BillableResource): { events: PlannedUsageEvent[]; billed: BilledLine[] } {
  const desired = resource.state === 'running' ? resource.billing : [];
  const billed = new Map(resource.billed.map((line) => [line.sku, line]));
  const events: PlannedUsageEvent[] = [];
  const next: BilledLine[] = [];
  const resourceId = (sku: string) => usageResourceId(solutionId, resource.kind, resource.key, sku);
  const instant = (what: string, value: string | null | undefined): string => {
    if (!value) throw new Error(`resource ${resource.kind} ${resource.key} has no ${what} instant to record usage at`);
    return value;
  };

  for (const line of desired) {
    const current = billed.get(line.sku);
    if (!current) {
      const at = resource.billed.length === 0 ? instant('start', resource.startedAt) : instant('change', resource.changedAt ?? resource.startedAt);
      events.push({ resourceId: resourceId(line.sku), sku: line.sku, kind: 'start', quantity: line.quantity, occurredAt: at });
      next.push({ ...line, since: at });
    } else if (!parseDecimal(current.quantity, 'quantity').equals(parseDecimal(line.quantity, 'quantity'))) {
      const at = instant('change', resource.changedAt);
      events.push({ resourceId: resourceId(line.sku), sku: line.sku, kind: 'change', quantity: line.quantity, occurredAt: at });
      next.push({ ...line, since: at });
    } else {
      next.push(current);
    }
  }
  const wanted = new Set(desired.map((line) => line.sku));
  for (const line of resource.billed) {
    if (wanted.has(line.sku)) continue;
    const at = resource.state === 'destroyed' ? instant('stop', resource.stoppedAt) : instant('change', resource.changedAt ?? resource.stoppedAt);
    events.push({ resourceId: resourceId(line.sku), sku: line.sku, kind: 'stop', quantity: null, occurredAt: at });
  }
  return { events, billed: next };
}
