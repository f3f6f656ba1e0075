import { Entity, Enum, Index, ManyToOne, Opt, Property, Unique, type Rel } from '@mikro-orm/core';
import { ONBOARDING_KINDS, ONBOARDING_STATUSES, type OnboardingKind, type OnboardingStatus } from '@wholesail/contracts';
import { BaseEntity } from './base.entity';
import { Party, type PartyBranding } from './party.entity';

export const APPLICATION_KINDS = ONBOARDING_KINDS;
export type ApplicationKind = OnboardingKind;

export const APPLICATION_STATUSES = ONBOARDING_STATUSES;
export type ApplicationStatus = OnboardingStatus;

export type ApplicationBranding = PartyBranding;

/**
 * A partner's application to join the channel; the onboarding workflow (`onboarding:<id>`) moves
 * it through its statuses. `businessKey` (kind, e-mail and tax ID, normalised) makes a repeated
 * submission find the same application instead of starting a second process.
 */
@Entity({ tableName: 'application' })
@Index({ properties: ['sponsor'] })
@Index({ properties: ['status'] })
export class Application extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  @Unique()
  businessKey!: string;

  @Enum({ items: () => APPLICATION_KINDS, nativeEnumName: 'application_kind' })
  kind!: ApplicationKind;

  @Enum({ items: () => APPLICATION_STATUSES, nativeEnumName: 'application_status', default: 'checking' })
  status: ApplicationStatus & Opt = 'checking';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  contactName!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'string', length: 64 })
  taxId!: string;

  @Property({ type: 'string', length: 320, nullable: true })
  billingEmail?: string | null;

  @Property({ type: 'json', nullable: true })
  branding?: ApplicationBranding | null;

  /** The recruiting distributor (for a reseller or an agent) or the parent reseller (sub-reseller). */
  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  sponsor?: Rel<Party> | null;

  /** For a sub-reseller: the reseller it will sit under. */
  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  parentReseller?: Rel<Party> | null;

  /** Who submitted it: "public" for the open form, else "user:<id>". */
  @Property({ type: 'string', length: 100 })
  submittedBy!: string;

  /** The current round: 1, and one more after each resubmission (applyResubmission is keyed by it). */
  @Property({ type: 'integer', default: 1 })
  round: number & Opt = 1;

  @Property({ type: 'json', nullable: true })
  problems?: { field: string; problem: string }[] | null;

  @Property({ type: 'text', nullable: true })
  statusReason?: string | null;

  @ManyToOne(() => Party, { nullable: true, deleteRule: 'restrict' })
  createdParty?: Rel<Party> | null;

  /** Who withdrew it: "applicant" or "user:<id>" (the sponsor's or the operator's admin). */
  @Property({ type: 'string', length: 100, nullable: true })
  withdrawnBy?: string | null;

  @Property({ type: 'text', nullable: true })
  withdrawalReason?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  withdrawnAt?: Date | null;

  @Property({ type: 'string', length: 200 })
  workflowId!: string;
}
