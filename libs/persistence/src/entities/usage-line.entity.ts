import { Check, DecimalType, Entity, Index, ManyToOne, Opt, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Party } from './party.entity';
import { UsageImport } from './usage-import.entity';

/**
 * An imported usage line: a quantity of a catalog item used by a client over one whole billing
 * period (licences, support hours — what nobody provisions). `transactionId` is unique: a re-sent
 * line is ignored. It keeps its import batch and line number, and is frozen like resource events.
 */
@Entity({ tableName: 'usage_line' })
@Index({ properties: ['client', 'period'] })
@Index({ properties: ['usageImport'] })
// BRIN, not btree: the freeze's stamp stays a HOT update (migration 20261130235841; fillfactor 45).
@Index({
  name: 'usage_line_freeze_period_brin',
  expression: 'create index "usage_line_freeze_period_brin" on "usage_line" using brin ("freeze_period") with (pages_per_range = 16)',
})
@Check({ name: 'usage_line_quantity_check', expression: '"quantity" >= 0' })
@Check({ name: 'usage_line_period_check', expression: `"period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' and "freeze_period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'` })
export class UsageLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  @Unique()
  transactionId!: string;

  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  client!: Rel<Party>;

  @Property({ type: 'string', length: 64 })
  sku!: string;

  @Property({ type: new DecimalType('string'), precision: 20, scale: 6 })
  quantity!: string;

  /** The billing period the usage belongs to, "2026-10". */
  @Property({ type: 'character', length: 7 })
  period!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @ManyToOne(() => UsageImport, { deleteRule: 'restrict' })
  usageImport!: Rel<UsageImport>;

  @Property({ type: 'integer' })
  lineNumber!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date & Opt = new Date();

  @Property({ type: 'character', length: 7, nullable: true })
  freezePeriod?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  frozenAt?: Date | null;
}
