import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The working data of billing runs, written and read set-based by the run's activities (libs/billing)
 * in pages of clients: never one round trip per row. Every row is keyed by (run, round, …) and, for
 * what a page activity writes, carries its page, so a retried page replaces its own rows. A new round
 * (after "request changes") or a new run of a draft period replaces the old rows; a finalised run
 * keeps them, as the source every final document line is explained from.
 *
 * `scenario` is `current` (the agreements in force) or, for a what-if, `proposed`.
 */

/** One page of clients of one round: its client range and what it produced. */
@Entity({ tableName: 'billing_run_page' })
export class BillingRunPage {
  @PrimaryKey({ type: 'uuid' })
  runId!: string;

  @PrimaryKey({ type: 'integer' })
  round!: number;

  @PrimaryKey({ type: 'integer' })
  page!: number;

  @Property({ type: 'uuid' })
  firstClientId!: string;

  @Property({ type: 'uuid' })
  lastClientId!: string;

  @Property({ type: 'integer' })
  clientCount!: number;

  @Property({ type: 'integer' })
  ratedLineCount!: number;

  @Property({ type: 'integer', default: 0 })
  excludedCount!: number;

  /** Each distributor's wholesale volume on the page, by scenario (summed into the run's volumes). */
  @Property({ type: 'json', nullable: true })
  volumes?: Record<string, Record<string, string>> | null;

  /**
   * What the page's cuts need of its rated lines, by scenario, gathered as they were rated
   * (libs/domain `StoredRatedPage`: cut bases, the invoice lines' ledger sums, their violations).
   */
  @Property({ type: 'json', nullable: true })
  ratedPage?: Record<string, unknown> | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  ratedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  cutAt?: Date | null;

  /** The page's ledger check (every invariant holds per page too), by scenario. */
  @Property({ type: 'json', nullable: true })
  violations?: unknown[] | null;
}

/** A rated line (libs/domain billing `RatedLine`): usage priced at every tier, attributed to who earns on it. */
@Entity({ tableName: 'billing_rated_line' })
@Index({ properties: ['runId', 'round', 'page'] })
@Index({ properties: ['runId', 'round', 'clientId'] })
export class BillingRatedLine {
  @PrimaryKey({ type: 'uuid' })
  runId!: string;

  @PrimaryKey({ type: 'integer' })
  round!: number;

  @PrimaryKey({ type: 'string', length: 10 })
  scenario!: string;

  /** The domain's line id: `<segment key>#<n>`. */
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'integer' })
  page!: number;

  @Property({ type: 'uuid' })
  clientId!: string;

  /** The client's own reseller (issuer of its invoice). */
  @Property({ type: 'uuid' })
  resellerId!: string;

  /** The top-level reseller (whose distributor earns). */
  @Property({ type: 'uuid' })
  topResellerId!: string;

  @Property({ type: 'string', length: 64 })
  sku!: string;

  @Property({ type: 'string', length: 7 })
  usagePeriod!: string;

  @Property({ type: 'boolean' })
  late!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  fromAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  toAt!: Date;

  @Property({ type: 'decimal', columnType: 'numeric' })
  quantity!: string;

  @Property({ type: 'decimal', columnType: 'numeric' })
  proratedQuantity!: string;

  @Property({ type: 'bigint' })
  seconds!: string;

  @Property({ type: 'bigint' })
  secondsInPeriod!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'decimal', columnType: 'numeric' })
  wholesaleUnitPrice!: string;

  @Property({ type: 'uuid', nullable: true })
  wholesalePriceVersionId?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric' })
  clientUnitPrice!: string;

  @Property({ type: 'decimal', columnType: 'numeric' })
  wholesaleAmount!: string;

  @Property({ type: 'decimal', columnType: 'numeric' })
  clientAmount!: string;

  /** Per tier from the top: `{resellerId, unitCost, unitPrice, costAmount, saleAmount, margin, priceVersionId, source}`. */
  @Property({ type: 'json' })
  tiers!: unknown[];

  @Property({ type: 'uuid', nullable: true })
  distributorId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  distributorAgreementId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  agentId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  agentAgreementId?: string | null;

  @Property({ type: 'boolean' })
  agentEligible!: boolean;

  /** The usage it comes from (libs/domain billing `UsageOrigin`). */
  @Property({ type: 'json' })
  origin!: Record<string, unknown>;
}

/** A statement line of the cuts (libs/domain billing `CommissionLine`, `FeeLine`, `AgentLine`). */
@Entity({ tableName: 'billing_cut_line' })
@Index({ properties: ['runId', 'round', 'scenario', 'partyId'] })
@Index({ properties: ['runId', 'round', 'page'] })
export class BillingCutLine {
  @PrimaryKey({ type: 'uuid' })
  runId!: string;

  @PrimaryKey({ type: 'integer' })
  round!: number;

  @PrimaryKey({ type: 'string', length: 10 })
  scenario!: string;

  /** The domain's id: `dc:…`, `df:…`, `ac:…`. */
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'integer' })
  page!: number;

  /** `commission`, `fee` (distributors) or `agent`. */
  @Property({ type: 'string', length: 12 })
  kind!: string;

  /** The distributor or agent who earns it. */
  @Property({ type: 'uuid' })
  partyId!: string;

  @Property({ type: 'uuid' })
  clientId!: string;

  @Property({ type: 'uuid' })
  topResellerId!: string;

  @Property({ type: 'uuid' })
  agreementId!: string;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  basis?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  volume?: string | null;

  @Property({ type: 'text', nullable: true })
  rateNumerator?: string | null;

  @Property({ type: 'text', nullable: true })
  rateDenominator?: string | null;

  /** The rate applied (agents: the agreement's; distributors: the blended rate, to 10 places). */
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  rate?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  feePerActiveClient?: string | null;

  @Property({ type: 'bigint', nullable: true })
  seconds?: string | null;

  @Property({ type: 'bigint', nullable: true })
  secondsInPeriod?: string | null;

  @Property({ type: 'string', length: 12, nullable: true })
  fundedBy?: string | null;

  @Property({ type: 'uuid', nullable: true })
  carvedFrom?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  carvedOut?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  operatorFunded?: string | null;

  @Property({ type: 'integer', default: 0 })
  ratedLineCount!: number;
}

/** A page's ledger, summed per account and entry kind (each page's ledger balances on its own). */
@Entity({ tableName: 'billing_ledger_balance' })
export class BillingLedgerBalance {
  @PrimaryKey({ type: 'uuid' })
  runId!: string;

  @PrimaryKey({ type: 'integer' })
  round!: number;

  @PrimaryKey({ type: 'string', length: 10 })
  scenario!: string;

  @PrimaryKey({ type: 'integer' })
  page!: number;

  @PrimaryKey({ type: 'string', length: 30 })
  entryKind!: string;

  @PrimaryKey({ type: 'text' })
  account!: string;

  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;
}

/** Usage a run left out, and why (arrived after the freeze: billed by the next run as late usage). */
@Entity({ tableName: 'billing_excluded_usage' })
@Index({ properties: ['runId', 'round', 'page'] })
export class BillingExcludedUsage {
  @PrimaryKey({ type: 'uuid' })
  runId!: string;

  @PrimaryKey({ type: 'integer' })
  round!: number;

  @PrimaryKey({ type: 'string', length: 20 })
  kind!: string;

  @PrimaryKey({ type: 'string', length: 200 })
  transactionId!: string;

  @Property({ type: 'integer' })
  page!: number;

  @Property({ type: 'uuid' })
  clientId!: string;

  @Property({ type: 'string', length: 64 })
  sku!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  resourceId?: string | null;

  @Property({ type: 'string', length: 7 })
  usagePeriod!: string;

  @Property({ type: 'string', length: 40 })
  reason!: string;
}
