import { Check, Entity, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

/**
 * Which agent a client is credited to (`foundBy`), and when: the agent earns its cut on the client
 * over [effectiveFrom, effectiveTo). `agent` null means credited to no agent over that span. Every
 * client has one gap-free history from its `activeSince`, with one open span: its agent now, which
 * `party.found_by` mirrors for tenancy. A re-credit closes the open span and opens a new one.
 */
@Entity({ tableName: 'client_agent_credit' })
@Index({ properties: ['client', 'effectiveFrom'] })
@Index({ properties: ['agent'] })
@Unique({
  name: 'client_agent_credit_open_unique',
  expression: `create unique index "client_agent_credit_open_unique" on "client_agent_credit" ("client_id") where "effective_to" is null`,
})
@Check({ name: 'client_agent_credit_range_check', expression: '"effective_to" is null or "effective_to" > "effective_from"' })
export class ClientAgentCredit extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'cascade' })
  client!: Rel<Party>;

  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  agent?: Rel<Party> | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  effectiveFrom!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  effectiveTo?: Date | null;
}
