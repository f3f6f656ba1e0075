import { ArrayType, Check, Entity, Enum, Opt, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';

export const HOST_KINDS = ['vsphere', 'libvirt'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

/** Placement uses only active hosts; maintenance keeps what is there but takes nothing new. */
export const HOST_STATUSES = ['active', 'maintenance', 'retired'] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];

/** What the last `POST /hosts/{id}/check` found. */
export interface HostCheckResult {
  ok: boolean;
  at: string;
  product?: string;
  vms?: number;
  networks?: number;
  checked?: string[];
  error?: { code: string; message: string };
}

/**
 * A hypervisor host of the operator: how to reach it (vSphere: SDK URL, credentials — the
 * password sealed with SECRETS_KEY —, datacenter, cluster, datastore, distributed switch; libvirt:
 * a connection URI and the host bridge), what it offers and how much of that is reserved. The
 * reserved counters are only ever changed together with a capacity_reservation row, in one
 * transaction (PlacementService), and the database refuses to let them exceed the capacity.
 */
@Entity({ tableName: 'host' })
@Check({
  name: 'host_reserved_within_capacity',
  expression: 'reserved_vcpu <= capacity_vcpu and reserved_ram_gb <= capacity_ram_gb and reserved_storage_gb <= capacity_storage_gb',
})
@Check({
  name: 'host_amounts_not_negative',
  expression: 'least(capacity_vcpu, capacity_ram_gb, capacity_storage_gb, reserved_vcpu, reserved_ram_gb, reserved_storage_gb) >= 0',
})
@Check({
  name: 'host_connection_fits_kind',
  expression:
    "(kind = 'vsphere' and sdk_url is not null and username is not null and password_sealed is not null and datacenter is not null and cluster is not null and datastore is not null and network is not null and uri is null) or (kind = 'libvirt' and uri is not null and sdk_url is null and password_sealed is null)",
})
export class Host extends BaseEntity {
  @Property({ type: 'string', length: 100 })
  @Unique()
  name!: string;

  @Enum({ items: () => HOST_KINDS, nativeEnumName: 'host_kind' })
  kind!: HostKind;

  @Enum({ items: () => HOST_STATUSES, nativeEnumName: 'host_status', default: 'active' })
  status: HostStatus & Opt = 'active';

  @Property({ type: 'string', length: 500, nullable: true })
  sdkUrl?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  username?: string | null;

  /** SecretBox.seal(password, `host:<id>:password`); never leaves the server. */
  @Property({ type: 'text', nullable: true, lazy: true })
  passwordSealed?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  datacenter?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  cluster?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  datastore?: string | null;

  /** vSphere: the distributed switch new port groups go on. libvirt: the host bridge of bridge-mode networks. */
  @Property({ type: 'string', length: 200, nullable: true })
  network?: string | null;

  /** Accept any TLS certificate from the SDK endpoint (a lab or vcsim); prefer `caCertificate`. */
  @Property({ type: 'boolean', default: false })
  insecureTls: boolean & Opt = false;

  /** PEM certificate(s) to trust for the SDK endpoint. */
  @Property({ type: 'text', nullable: true })
  caCertificate?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  uri?: string | null;

  @Property({ type: 'integer' })
  capacityVcpu!: number;

  @Property({ type: 'integer' })
  capacityRamGb!: number;

  @Property({ type: 'integer' })
  capacityStorageGb!: number;

  @Property({ type: 'integer', default: 0 })
  reservedVcpu: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  reservedRamGb: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  reservedStorageGb: number & Opt = 0;

  @Property({ type: ArrayType, columnType: 'text[]', default: '{}' })
  tags: string[] & Opt = [];

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  lastCheck?: HostCheckResult | null;
}
