import { ArrayType, Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import type { Role } from '@wholesail/domain';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';
import { User } from './user.entity';

/**
 * A machine client's credential. Only a SHA-256 of the secret is stored (API keys are 256-bit
 * random, so a slow hash adds nothing); `prefix` identifies the key in lists and logs.
 */
@Entity({ tableName: 'api_key' })
@Index({ properties: ['party'] })
export class ApiKey extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16 })
  @Unique()
  prefix!: string;

  @Property({ type: 'string', length: 64, hidden: true })
  secretHash!: string;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  party!: Party;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: ArrayType, columnType: 'text[]' })
  roles!: Role[];

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
