import { Entity, Enum, Opt, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';

export const IDEMPOTENCY_STATES = ['in-progress', 'done'] as const;
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number];

/**
 * A request sent with an `Idempotency-Key`, per principal: claimed ('in-progress') before the
 * work runs, so a concurrent twin finds the claim and waits; 'done' with the response once it
 * ran, so a retry replays it instead of doing the work twice. See IdempotencyClaims.
 */
@Entity({ tableName: 'idempotency_record' })
@Unique({ properties: ['principal', 'key'] })
export class IdempotencyRecord extends BaseEntity {
  @Property({ type: 'string', length: 100 })
  principal!: string;

  @Property({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'string', length: 300 })
  route!: string;

  /** SHA-256 of method, path and body: the same key with a different request is refused. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  @Enum({ items: () => IDEMPOTENCY_STATES, nativeEnumName: 'idempotency_state', default: 'done' })
  state: IdempotencyState & Opt = 'done';

  /** Who holds the claim: only that request may complete or release it. */
  @Property({ type: 'uuid', nullable: true })
  claimToken?: string | null;

  /** While in progress: the claim's lease; past it, the request is presumed dead and may be taken over. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;

  @Property({ type: 'integer', nullable: true })
  responseStatus?: number | null;

  @Property({ type: 'json', nullable: true })
  responseBody?: unknown;
}
