import { Entity, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';

/**
 * Remembers the response to a POST sent with an `Idempotency-Key`, per principal, so a retried
 * request gets the same answer instead of doing the work twice.
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

  @Property({ type: 'integer' })
  responseStatus!: number;

  @Property({ type: 'json' })
  responseBody!: unknown;
}
