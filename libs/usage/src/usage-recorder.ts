import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  BillingErrorCode,
  Dec,
  DomainError,
  parseResourceEvent,
  resourceEventProblems,
  resourceSequenceProblems,
  type FieldProblem,
  type ResourceEventFields,
  type ResourceEventInput,
  type TimelineEvent,
  type UsageSource,
} from '@wholesail/domain';
import { ResourceEvent } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { UsageErrorCode } from './usage-errors';
import { UsageReferences } from './usage-references';

/** The most events one call records (a batch is validated and written whole). */
export const USAGE_EVENTS_MAX_BATCH = 250;

export interface RecordContext {
  source: UsageSource;
  /** The provisioning workflow id, the import batch, … */
  sourceRef?: string | null;
  /** Who records it: "user:<id>", "api-key:<id>", "workflow:<id>". */
  recordedBy: string;
  /** Only clients under this party path exist for the caller (null: every client). */
  scopePath?: string | null;
}

export interface RecordedEvent {
  /** The event's position in the batch. */
  index: number;
  transactionId: string;
  /** `duplicate`: the transaction ID was already recorded with the same content; nothing changed. */
  status: 'recorded' | 'duplicate';
  eventId: string;
}

interface Pending {
  index: number;
  prefix: string;
  fields: ResourceEventFields;
  /** An earlier event of the same batch with the same transaction ID and content. */
  sameAs?: number;
}

/**
 * The one writer of resource events: provisioning records through it, the API's
 * `POST /usage/events` too. Idempotent by transaction ID — an event re-sent with the same ID and
 * content is reported as `duplicate` and changes nothing; the same ID with different content is a
 * 409 USAGE_TRANSACTION_CONFLICT. A batch is all or nothing: every event is validated (fields,
 * client, SKU, and the resource's sequence with what is already recorded) before any is written,
 * in one transaction. Events of one resource are serialised with an advisory lock so that two
 * concurrent writers cannot both append to its sequence.
 */
@Injectable()
export class UsageRecorder {
  constructor(private readonly em: EntityManager) {}

  /** One event (a provisioning step): field names without a prefix. */
  async record(event: ResourceEventInput, context: RecordContext): Promise<RecordedEvent> {
    const [result] = await this.recordEvents([event], context, () => '');
    return result;
  }

  /** A batch of 1–USAGE_EVENTS_MAX_BATCH events; problems name `events[i].<field>`. */
  async recordMany(events: readonly ResourceEventInput[], context: RecordContext): Promise<RecordedEvent[]> {
    if (!Array.isArray(events) || events.length === 0 || events.length > USAGE_EVENTS_MAX_BATCH) {
      throw DomainError.invalid(UsageErrorCode.BatchSize, 'events', `must hold 1 to ${USAGE_EVENTS_MAX_BATCH} events`);
    }
    return this.recordEvents(events, context, (i) => `events[${i}].`);
  }

  private async recordEvents(events: readonly ResourceEventInput[], context: RecordContext, prefixOf: (i: number) => string): Promise<RecordedEvent[]> {
    const now = new Date();
    const problems = events.flatMap((event, i) => resourceEventProblems(event ?? {}, { now, prefix: prefixOf(i) }));
    throwInvalid(problems);
    const pending: Pending[] = events.map((event, index) => ({ index, prefix: prefixOf(index), fields: parseResourceEvent(event, { now }) }));

    // The same transaction ID twice in one batch: a re-send if identical, a conflict otherwise.
    const firstById = new Map<string, Pending>();
    for (const p of pending) {
      const first = firstById.get(p.fields.transactionId);
      if (!first) firstById.set(p.fields.transactionId, p);
      else if (sameContent(first.fields, p.fields)) p.sameAs = first.index;
      else throw transactionConflict(p, `events[${first.index}] of this batch`);
    }
    const unique = pending.filter((p) => p.sameAs === undefined);

    const em = this.em.fork();
    const references = new UsageReferences(em, context.scopePath ?? null);
    await references.loadClients(unique.map((p) => p.fields.clientId));
    for (const p of unique) {
      const client = references.clientProblem(p.fields.clientId);
      if (client) problems.push({ field: `${p.prefix}clientId`, problem: client });
      const sku = await references.skuProblem(p.fields.sku, { kind: p.fields.kind, at: p.fields.occurredAt });
      if (sku) problems.push({ field: `${p.prefix}sku`, problem: sku });
    }
    throwInvalid(problems);

    const ids = await em.transactional(async (tx) => {
      const resourceIds = [...new Set(unique.map((p) => p.fields.resourceId))].sort();
      await tx.execute(
        `select pg_advisory_xact_lock(hashtextextended('usage-resource:' || r, 0)) from (select value as r from json_array_elements_text(?::json) order by 1) s`,
        [JSON.stringify(resourceIds)],
      );
      const recorded = new Map<string, string>();
      const existing = await tx.find(ResourceEvent, { transactionId: { $in: unique.map((p) => p.fields.transactionId) } });
      const fresh: Pending[] = [];
      for (const p of unique) {
        const stored = existing.find((e) => e.transactionId === p.fields.transactionId);
        if (!stored) fresh.push(p);
        else if (sameContent(storedFields(stored), p.fields)) recorded.set(p.fields.transactionId, stored.id);
        else throw transactionConflict(p, `event ${stored.id}`);
      }
      if (!fresh.length) return { recorded, inserted: new Set<string>() };

      const stored = await tx.find(
        ResourceEvent,
        { resourceId: { $in: [...new Set(fresh.map((p) => p.fields.resourceId))] } },
        { orderBy: { occurredAt: 'asc' } },
      );
      const conflicts = sequenceConflicts(stored.map(storedFields), fresh);
      if (conflicts.length) {
        throw DomainError.conflict(BillingErrorCode.UsageSequence, conflicts.map((c) => `${c.field} ${c.problem}`).join('; '), conflicts);
      }

      const rows = fresh.map((p) => ({
        id: randomUUID(),
        transaction_id: p.fields.transactionId,
        client_id: p.fields.clientId,
        resource_id: p.fields.resourceId,
        sku: p.fields.sku,
        kind: p.fields.kind,
        quantity: p.fields.quantity?.toFixed() ?? null,
        occurred_at: p.fields.occurredAt.toISOString(),
        source: context.source,
        source_ref: context.sourceRef ?? null,
        recorded_by: context.recordedBy,
      }));
      const inserted = await tx.execute<Array<{ transaction_id: string; id: string }>>(
        `insert into resource_event (id, transaction_id, client_id, resource_id, sku, kind, quantity, occurred_at, source, source_ref, recorded_by)
         select x.id, x.transaction_id, x.client_id, x.resource_id, x.sku, x.kind::resource_event_kind, x.quantity, x.occurred_at, x.source::usage_source, x.source_ref, x.recorded_by
         from json_to_recordset(?::json) as x(id uuid, transaction_id text, client_id uuid, resource_id text, sku text, kind text, quantity numeric, occurred_at timestamptz, source text, source_ref text, recorded_by text)
         on conflict (transaction_id) do nothing
         returning transaction_id, id`,
        [JSON.stringify(rows)],
      );
      for (const row of inserted) recorded.set(row.transaction_id, row.id);
      // A transaction ID taken meanwhile by a writer of another resource: the database decided.
      const raced = fresh.filter((p) => !recorded.has(p.fields.transactionId));
      if (raced.length) {
        const winners = await tx.find(ResourceEvent, { transactionId: { $in: raced.map((p) => p.fields.transactionId) } });
        for (const p of raced) {
          const winner = winners.find((w) => w.transactionId === p.fields.transactionId)!;
          if (!sameContent(storedFields(winner), p.fields)) throw transactionConflict(p, `event ${winner.id}`);
          recorded.set(p.fields.transactionId, winner.id);
        }
      }
      return { recorded, inserted: new Set(inserted.map((row) => row.transaction_id)) };
    });

    return pending.map((p) => ({
      index: p.index,
      transactionId: p.fields.transactionId,
      status: p.sameAs === undefined && ids.inserted.has(p.fields.transactionId) ? 'recorded' : 'duplicate',
      eventId: ids.recorded.get(p.fields.transactionId)!,
    }));
  }
}

/** The fields of a stored event, in the shape the API receives. */
export function storedFields(event: ResourceEvent): ResourceEventFields {
  return {
    transactionId: event.transactionId,
    clientId: event.client.id,
    resourceId: event.resourceId,
    sku: event.sku,
    kind: event.kind,
    quantity: event.quantity == null ? null : new Dec(event.quantity),
    occurredAt: event.occurredAt,
  };
}

function sameContent(a: ResourceEventFields, b: ResourceEventFields): boolean {
  return (
    a.clientId === b.clientId &&
    a.resourceId === b.resourceId &&
    a.sku === b.sku &&
    a.kind === b.kind &&
    a.occurredAt.getTime() === b.occurredAt.getTime() &&
    (a.quantity === null || b.quantity === null ? a.quantity === b.quantity : a.quantity.equals(b.quantity))
  );
}

function timelineEvent(fields: ResourceEventFields): TimelineEvent {
  return { ...fields, quantity: fields.quantity };
}

/**
 * The domain's sequence rules over each touched resource's recorded and new events. A problem is
 * named on the new event it concerns; one that lands on a recorded event (a new stop before a
 * recorded change) is named on the resource's new events, since they are what broke it.
 */
function sequenceConflicts(stored: ResourceEventFields[], fresh: Pending[]): FieldProblem[] {
  const conflicts: FieldProblem[] = [];
  for (const resourceId of new Set(fresh.map((p) => p.fields.resourceId))) {
    const added = fresh.filter((p) => p.fields.resourceId === resourceId);
    const events = [...stored.filter((e) => e.resourceId === resourceId), ...added.map((p) => p.fields)].map(timelineEvent);
    const problems = resourceSequenceProblems(events);
    if (!problems.length) continue;
    for (const p of added) {
      const own = problems.find((problem) => problem.transactionId === p.fields.transactionId);
      const recorded = problems.filter((problem) => !added.some((a) => a.fields.transactionId === problem.transactionId));
      if (own) conflicts.push({ field: `${p.prefix}occurredAt`, problem: own.problem });
      else if (recorded.length) {
        conflicts.push({
          field: `${p.prefix}occurredAt`,
          problem: `would break the recorded events of resource ${resourceId}: ${recorded.map((r) => `${r.transactionId}: ${r.problem}`).join('; ')}`,
        });
      }
    }
  }
  return conflicts;
}

function transactionConflict(p: Pending, other: string): DomainError {
  return DomainError.conflict(
    BillingErrorCode.UsageTransactionConflict,
    `transaction ID ${p.fields.transactionId} was already used for a different event (${other})`,
    [{ field: `${p.prefix}transactionId`, problem: `was already used for a different event (${other})` }],
  );
}

function throwInvalid(problems: FieldProblem[]): void {
  if (problems.length) throw new DomainError(BillingErrorCode.InvalidUsageEvent, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
}
