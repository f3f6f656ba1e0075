import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A period's usage freeze: when a billing run froze it and how much it took. One per period; the
 * events and lines it took carry its period in `freeze_period`.
 */
@Entity({ tableName: 'usage_freeze' })
export class UsageFreeze {
  @PrimaryKey({ type: 'character', length: 7 })
  period!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  frozenAt!: Date;

  @Property({ type: 'string', length: 200 })
  frozenBy!: string;

  @Property({ type: 'integer' })
  eventCount!: number;

  @Property({ type: 'integer' })
  lineCount!: number;
}
