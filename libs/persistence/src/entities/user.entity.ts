import { ArrayType, Entity, Index, Enum, ManyToOne, Opt, Property, Unique } from '@mikro-orm/core';
import type { Role } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

export const USER_STATUSES = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A person who logs in. Belongs to exactly one party; roles must fit that party's kind. */
@Entity({ tableName: 'app_user' })
@Index({ properties: ['party'] })
export class User extends BaseEntity {
  /** Stored lower-cased; unique across the deployment. */
  @Property({ type: 'string', length: 320 })
  @Unique()
  email!: string;

  @Property({ type: 'string', length: 200 })
  displayName!: string;

  @Property({ type: 'string', length: 100, nullable: true, hidden: true })
  passwordHash?: string | null;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  party!: Party;

  @Property({ type: ArrayType, columnType: 'text[]' })
  roles!: Role[];

  @Enum({ items: () => USER_STATUSES, nativeEnumName: 'user_status', default: 'active' })
  status: UserStatus & Opt = 'active';

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;

  /** An open invitation: its link is signed over the user id and this instant (see InvitationsService). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  invitationIssuedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  invitationExpiresAt?: Date | null;
}
