import { Entity, Enum, Index, ManyToOne, Opt, Property, Unique, type Rel } from '@mikro-orm/core';
import { PLANNED_RESOURCE_KINDS, RESOURCE_STATES, type BilledLine, type PlannedResourceKind, type ResourceState } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Environment } from './environment.entity';
import { Host } from './host.entity';

/**
 * One resource of an environment — a network, VM, volume or public IP — in one generation of it:
 * the key of the design component, its name on the hypervisor and the hypervisor's own id, its
 * state and sizes, what of it is billed (`billed`, the lines recorded as started resource events)
 * and the instants its life changed (the instants of those events). Unique per environment,
 * generation, kind and key: a retried step finds its row.
 */
@Entity({ tableName: 'provisioned_resource' })
@Unique({ name: 'provisioned_resource_key_unique', properties: ['environment', 'generation', 'kind', 'key'] })
@Index({ properties: ['environment', 'state'] })
export class ProvisionedResource extends BaseEntity {
  @ManyToOne(() => Environment, { deleteRule: 'cascade', fieldName: 'solution_id' })
  environment!: Rel<Environment>;

  @Property({ type: 'integer' })
  generation!: number;

  /** The design version that last defined it. */
  @Property({ type: 'uuid' })
  designVersionId!: string;

  @Enum({ items: () => PLANNED_RESOURCE_KINDS, nativeEnumName: 'provisioned_resource_kind' })
  kind!: PlannedResourceKind;

  @Property({ type: 'string', length: 63 })
  key!: string;

  /** The design's label. */
  @Property({ type: 'string', length: 100 })
  name!: string;

  /** Name on the hypervisor (networks and VMs; the drivers' idempotency key). */
  @Property({ type: 'string', length: 63, nullable: true })
  hypervisorName?: string | null;

  /** The hypervisor's id: a managed object reference (vSphere) or a UUID (libvirt). */
  @Property({ type: 'string', length: 200, nullable: true })
  hypervisorId?: string | null;

  @ManyToOne(() => Host, { deleteRule: 'restrict', nullable: true })
  host?: Rel<Host> | null;

  @Enum({ items: () => RESOURCE_STATES, nativeEnumName: 'provisioned_resource_state', default: 'pending' })
  state: ResourceState & Opt = 'pending';

  /** Volumes and public IPs: the VM they belong to. */
  @Property({ type: 'string', length: 63, nullable: true })
  vmKey?: string | null;

  @Property({ type: 'integer', nullable: true })
  vcpus?: number | null;

  @Property({ type: 'integer', nullable: true })
  ramGb?: number | null;

  /** VMs: the boot disk; volumes: their size. */
  @Property({ type: 'integer', nullable: true })
  diskGb?: number | null;

  /** The planned resource (PlannedVm, PlannedNetwork, …) it is built from. */
  @Property({ type: 'json', columnType: 'jsonb' })
  spec!: Record<string, unknown>;

  @Property({ type: 'json', columnType: 'jsonb', default: '[]' })
  billed: BilledLine[] & Opt = [];

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  changedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  stoppedAt?: Date | null;
}
