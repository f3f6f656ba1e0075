import { Check, Entity, Enum, Index, ManyToOne, Opt, Property, Unique } from '@mikro-orm/core';
import { PARTY_KINDS, PARTY_STATUSES, type PartyKind, type PartyStatus } from '@wholesail/domain';
import { childPath } from '@wholesail/domain';
import { BaseEntity } from './base.entity';

/** A reseller's brand: its portal and the documents it issues carry it. */
export interface PartyBranding {
  logoUrl?: string;
  primaryColor?: string;
  accentColor?: string;
}

/**
 * Every member of the channel — operator, distributor, agent, reseller (any depth), client — is a
 * party in one tree. `path` materialises the ancestor ids so "this party and everything below"
 * is one indexed prefix match (see libs/domain tenancy).
 */
@Entity({ tableName: 'party' })
@Index({ properties: ['kind'] })
// text_pattern_ops lets the prefix LIKE on path use the index under any database collation.
@Index({ name: 'party_path_idx', expression: 'create index "party_path_idx" on "party" ("path" text_pattern_ops)' })
@Index({ properties: ['parent'] })
@Index({ properties: ['foundBy'] })
// Uniqueness of names and tax IDs (libs/parties maps each index to the field it protects): among
// partners (every kind but client), and among the clients of one reseller.
@Unique({
  name: 'party_partner_name_unique',
  expression: `create unique index "party_partner_name_unique" on "party" (lower("name")) where "kind" <> 'client'`,
})
@Unique({ name: 'party_partner_tax_id_unique', expression: `create unique index "party_partner_tax_id_unique" on "party" ("tax_id") where "kind" <> 'client'` })
@Unique({
  name: 'party_client_name_unique',
  expression: `create unique index "party_client_name_unique" on "party" ("parent_id", lower("name")) where "kind" = 'client'`,
})
@Unique({
  name: 'party_client_tax_id_unique',
  expression: `create unique index "party_client_tax_id_unique" on "party" ("parent_id", "tax_id") where "kind" = 'client'`,
})
// Customer since: every client has one, no other party does.
@Check({ name: 'party_active_since_check', expression: `("kind" = 'client') = ("active_since" is not null)` })
export class Party extends BaseEntity {
  @Enum({ items: () => PARTY_KINDS, nativeEnumName: 'party_kind' })
  kind!: PartyKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Human-readable, stable business key (e.g. "acme-msp"); seeds and imports upsert by it. */
  @Property({ type: 'string', length: 80 })
  @Unique()
  code!: string;

  @Enum({ items: () => PARTY_STATUSES, nativeEnumName: 'party_status', default: 'active' })
  status: PartyStatus & Opt = 'active';

  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  parent?: Party | null;

  @Property({ type: 'text' })
  path!: string;

  @Property({ type: 'integer' })
  depth!: number;

  /**
   * For clients: the agent credited with the client now, the open span of its history in
   * `client_agent_credit` (which billing reads); kept here for tenancy (an agent sees the clients
   * credited to it now). Written only with that history (libs/parties).
   */
  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  foundBy?: Party | null;

  /**
   * For clients (and only them: a check constraint): customer since. It may lie before the client
   * was created here (moved from another platform); an agent's first-N-months and the
   * per-active-client fee count from it.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  activeSince?: Date | null;

  @Property({ type: 'string', length: 320, nullable: true })
  billingEmail?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  taxId?: string | null;

  /** Where operational e-mail goes (approvals, reminders); the billing contact gets documents. */
  @Property({ type: 'string', length: 320, nullable: true })
  notificationEmail?: string | null;

  /** Resellers brand their portal and the documents they issue. */
  @Property({ type: 'json', nullable: true })
  branding?: PartyBranding | null;

  /** Builds a party under `parent`, computing its materialised path and depth. */
  static create(props: {
    kind: PartyKind;
    name: string;
    code: string;
    parent?: Party | null;
    status?: PartyStatus;
    foundBy?: Party | null;
    /** Clients: customer since (default: the creation instant). */
    activeSince?: Date | null;
    billingEmail?: string | null;
    taxId?: string | null;
  }): Party {
    const party = new Party();
    Object.assign(party, { ...props, parent: props.parent ?? null, foundBy: props.foundBy ?? null });
    party.activeSince = props.kind === 'client' ? (props.activeSince ?? party.createdAt) : null;
    party.status = props.status ?? 'active';
    party.path = childPath(props.parent?.path ?? null, party.id);
    party.depth = (props.parent?.depth ?? -1) + 1;
    return party;
  }
}
