import { Check, DecimalType, Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { RESOURCE_EVENT_KINDS, USAGE_SOURCES, type ResourceEventKind, type UsageSource } from '@wholesail/domain';
import { randomUUID } from 'node:crypto';
import { Party } from './party.entity';

/**
 * A resource event: a resource (one client, one SKU) starts, changes quantity or stops at
 * `occurredAt`. Immutable once recorded, except for the freeze stamp. `transactionId` is unique: a
 * re-sent event is recognised and ignored. `freezePeriod` is the billing period whose usage freeze
 * included it (null until a run freezes); an event frozen by a later period than the one it
 * happened in is late and billed as a correction (libs/domain/src/billing).
 */
@Entity({ tableName: 'resource_event' })
@Index({ properties: ['client', 'occurredAt'] })
@Index({ properties: ['resourceId', 'occurredAt'] })
// BRIN, not btree: the freeze's stamp stays a HOT update (migration 20261130235841; fillfactor 45).
@Index({
  name: 'resource_event_freeze_period_brin',
  expression: 'create index "resource_event_freeze_period_brin" on "resource_event" using brin ("freeze_period") with (pages_per_range = 16)',
})
@Check({ name: 'resource_event_quantity_check', expression: `("kind" = 'stop' and "quantity" is null) or ("kind" <> 'stop' and "quantity" >= 0)` })
@Check({ name: 'resource_event_freeze_period_check', expression: `"freeze_period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'` })
export class ResourceEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  @Unique()
  transactionId!: string;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  client!: Rel<Party>;

  @Property({ type: 'string', length: 200 })
  resourceId!: string;

  @Property({ type: 'string', length: 64 })
  sku!: string;

  @Enum({ items: () => RESOURCE_EVENT_KINDS, nativeEnumName: 'resource_event_kind' })
  kind!: ResourceEventKind;

  /** null for a stop. */
  @Property({ type: new DecimalType('string'), precision: 20, scale: 6, nullable: true })
  quantity?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date & Opt = new Date();

  @Enum({ items: () => USAGE_SOURCES, nativeEnumName: 'usage_source' })
  source!: UsageSource;

  /** Where it came from: the provisioning workflow, the API caller, the import batch. */
  @Property({ type: 'string', length: 300, nullable: true })
  sourceRef?: string | null;

  /** Who recorded it ("user:<id>", "api-key:<id>", "workflow:<id>"). */
  @Property({ type: 'string', length: 200 })
  recordedBy!: string;

  @Property({ type: 'character', length: 7, nullable: true })
  freezePeriod?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  frozenAt?: Date | null;
}
