import { DomainError } from '../errors';
import { Dec, DecimalInput, parseDecimal } from '../money';
import { Instant, parseInstant } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import type { ResourceEventKind } from './usage-input';

/**
 * The life of one resource from its events. A resource (one client, one SKU) starts with a
 * quantity, may change quantity, and stops; it may start again later. Events may arrive in any
 * order: they are put in time order here. Their sequence must read
 * `start (change)* stop start (change)* stop …`, possibly ending while running.
 */
export interface TimelineEvent {
  transactionId: string;
  resourceId: string;
  clientId: string;
  sku: string;
  kind: ResourceEventKind;
  /** Required for start and change; ignored for stop. */
  quantity?: DecimalInput | null;
  occurredAt: Instant;
}

/** A stretch of time over which the resource ran with one quantity. */
export interface Stretch {
  from: Date;
  /** null: still running. */
  to: Date | null;
  quantity: Dec;
  /** The start or change event that set the quantity. */
  setBy: string;
  /** The change or stop event that ended the stretch, or null while running. */
  endedBy: string | null;
}

export interface SequenceProblem {
  transactionId: string;
  problem: string;
}

/** Time order; equal instants (refused anyway) fall back to the transaction ID, for determinism. */
export function inTimeOrder<T extends TimelineEvent>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => instantMs(a) - instantMs(b) || (a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0));
}

/**
 * What is wrong with a resource's events, event by event: a change or stop while it is not
 * running, a start while it is, two events at the same instant, events of one resource naming
 * different clients or SKUs. Empty when the sequence is valid.
 */
export function resourceSequenceProblems(events: readonly TimelineEvent[]): SequenceProblem[] {
  const problems: SequenceProblem[] = [];
  const ordered = inTimeOrder(events);
  const first = ordered[0];
  let running: TimelineEvent | null = null;
  let previous: TimelineEvent | null = null;
  for (const event of ordered) {
    if (event.clientId !== first.clientId || event.sku !== first.sku) {
      problems.push({
        transactionId: event.transactionId,
        problem: `resource ${event.resourceId} belongs to client ${first.clientId} and SKU ${first.sku}; an event cannot move it to another client or SKU`,
      });
      continue;
    }
    if (previous && instantMs(previous) === instantMs(event)) {
      problems.push({ transactionId: event.transactionId, problem: `happens at the same instant as event ${previous.transactionId} of the same resource` });
      continue;
    }
    const at = parseInstant(event.occurredAt, 'occurredAt').toISOString();
    if (event.kind === 'start') {
      if (running)
        problems.push({ transactionId: event.transactionId, problem: `the resource is already running at ${at} (started by ${running.transactionId})` });
      else running = event;
    } else if (!running) {
      problems.push({
        transactionId: event.transactionId,
        problem: `the resource is not running at ${at}: a ${event.kind} needs a start before it${previous ? ` (the last event before it, ${previous.transactionId}, stopped it)` : ''}`,
      });
    } else if (event.kind === 'stop') running = null;
    previous = event;
  }
  return problems;
}

/** The stretches a resource ran, oldest first. USAGE_INVALID_SEQUENCE if the events do not fit. */
export function resourceTimeline(events: readonly TimelineEvent[]): Stretch[] {
  const problems = resourceSequenceProblems(events);
  if (problems.length) {
    throw DomainError.conflict(
      BillingErrorCode.UsageSequence,
      problems.map((p) => `event ${p.transactionId}: ${p.problem}`).join('; '),
      problems.map((p) => ({ field: 'occurredAt', problem: `event ${p.transactionId}: ${p.problem}` })),
    );
  }
  const stretches: Stretch[] = [];
  let open: Stretch | null = null;
  for (const event of inTimeOrder(events)) {
    const at = parseInstant(event.occurredAt, 'occurredAt');
    if (open) {
      open.to = at;
      open.endedBy = event.transactionId;
      stretches.push(open);
      open = null;
    }
    if (event.kind !== 'stop') {
      open = { from: at, to: null, quantity: parseDecimal(event.quantity as DecimalInput, 'quantity'), setBy: event.transactionId, endedBy: null };
    }
  }
  if (open) stretches.push(open);
  return stretches;
}

function instantMs(event: TimelineEvent): number {
  return parseInstant(event.occurredAt, 'occurredAt').getTime();
}
