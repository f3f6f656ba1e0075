import { Check, Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Host } from './host.entity';

export const RESERVATION_STATES = ['reserved', 'committed', 'released'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

/**
 * Capacity set aside on a host for one resource. The id is the caller's deterministic key (e.g.
 * `<provisioning workflow id>:<resource>`), so a retried reservation finds the first. reserved →
 * committed once the resource exists; released gives the capacity back (from either state), once.
 */
@Entity({ tableName: 'capacity_reservation' })
@Index({ properties: ['host', 'state'] })
@Check({ name: 'capacity_reservation_amounts_not_negative', expression: 'least(vcpu, ram_gb, storage_gb) >= 0' })
export class CapacityReservation {
  @PrimaryKey({ type: 'string', length: 300 })
  id!: string;

  @ManyToOne(() => Host, { deleteRule: 'restrict' })
  host!: Rel<Host>;

  @Property({ type: 'integer' })
  vcpu!: number;

  @Property({ type: 'integer' })
  ramGb!: number;

  @Property({ type: 'integer' })
  storageGb!: number;

  @Enum({ items: () => RESERVATION_STATES, nativeEnumName: 'reservation_state', default: 'reserved' })
  state: ReservationState & Opt = 'reserved';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  releasedAt?: Date | null;
}
