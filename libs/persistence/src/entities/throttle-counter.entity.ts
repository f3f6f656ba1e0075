import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A rate-limit counter shared by every API instance (e.g. failed sign-ins of one account or one
 * client address): hits in the current window, the block in force, and how many blocks the key
 * earned lately (each doubles the next). Keys are hashes: no e-mail or address is stored.
 */
@Entity({ tableName: 'throttle_counter' })
export class ThrottleCounter {
  @PrimaryKey({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  hits: number & Opt = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  windowEndsAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  blockedUntil?: Date | null;

  /** Blocks earned since `strikesExpireAt` was last passed. */
  @Property({ type: 'integer', default: 0 })
  strikes: number & Opt = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  strikesExpireAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt!: Date;
}
