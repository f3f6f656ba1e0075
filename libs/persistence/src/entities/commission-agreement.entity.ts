import { DecimalType, Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { Party } from './party.entity';

export const AGREEMENT_FUNDERS = ['operator', 'distributor'] as const;
export type AgreementFunder = (typeof AGREEMENT_FUNDERS)[number];

/**
 * A versioned commission agreement for a distributor or an agent, in force from `effectiveFrom`
 * (inclusive) to `effectiveTo` (exclusive, open when null). Rates are fractions (0.05 = 5 %).
 */
@Entity({ tableName: 'commission_agreement' })
@Index({ properties: ['party', 'effectiveFrom'] })
export class CommissionAgreement extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'restrict' })
  party!: Rel<Party>;

  @Property({ type: new DecimalType('string'), precision: 9, scale: 6 })
  rate!: string;

  /** Distributors: an optional fixed fee per active client per month. */
  @Property({ type: new DecimalType('string'), precision: 20, scale: 6, nullable: true })
  feePerActiveClient?: string | null;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** Distributors: marginal brackets on the monthly wholesale volume, ascending `from` (decimal strings), over `rate` up to the first. */
  @Property({ type: 'json', nullable: true })
  volumeTiers?: Array<{ from: string; rate: string }> | null;

  /** Agents: the cut applies only to a client's first N months. */
  @Property({ type: 'integer', nullable: true })
  firstMonths?: number | null;

  /** Agents: who pays the cut: the operator (default) or carved out of the distributor's cut. */
  @Enum({ items: () => AGREEMENT_FUNDERS, nativeEnumName: 'agreement_funder', nullable: true })
  fundedBy?: AgreementFunder | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  effectiveFrom!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  effectiveTo?: Date | null;
}
