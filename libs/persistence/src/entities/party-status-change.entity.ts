import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { PARTY_STATUSES, type PartyStatus } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

/** Audit trail of status changes; `workflowId` makes the activity that writes it idempotent. */
@Entity({ tableName: 'party_status_change' })
@Index({ properties: ['party', 'createdAt'] })
export class PartyStatusChange extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'cascade' })
  party!: Party;

  @Enum({ items: () => PARTY_STATUSES, nativeEnumName: 'party_status' })
  fromStatus!: PartyStatus;

  @Enum({ items: () => PARTY_STATUSES, nativeEnumName: 'party_status' })
  toStatus!: PartyStatus;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'string', length: 100 })
  requestedBy!: string;

  @Property({ type: 'string', length: 300 })
  @Unique()
  workflowId!: string;
}
