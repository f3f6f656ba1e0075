import { Dec, exactMul, proratedQuantity, type RatedLine } from '@wholesail/domain';
import type { Columns } from './sql';

/** The columns of `billing_rated_line`, in the order `ratedLineRow` gives their values. */
export const RATED_LINE_COLUMNS = {
  run_id: 'uuid',
  round: 'int',
  scenario: 'varchar(10)',
  id: 'text',
  page: 'int',
  client_id: 'uuid',
  reseller_id: 'uuid',
  top_reseller_id: 'uuid',
  sku: 'varchar(64)',
  usage_period: 'varchar(7)',
  late: 'boolean',
  from_at: 'timestamptz',
  to_at: 'timestamptz',
  quantity: 'numeric',
  prorated_quantity: 'numeric',
  seconds: 'bigint',
  seconds_in_period: 'bigint',
  currency: 'varchar(3)',
  wholesale_unit_price: 'numeric',
  wholesale_price_version_id: 'uuid',
  client_unit_price: 'numeric',
  wholesale_amount: 'numeric',
  client_amount: 'numeric',
  tiers: 'jsonb',
  distributor_id: 'uuid',
  distributor_agreement_id: 'uuid',
  agent_id: 'uuid',
  agent_agreement_id: 'uuid',
  agent_eligible: 'boolean',
  origin: 'jsonb',
} as const satisfies Columns;

/** Where each column's value is in a row of `ratedLineRow`. */
export const RATED_LINE_INDEX = Object.fromEntries(Object.keys(RATED_LINE_COLUMNS).map((name, i) => [name, i])) as Record<
  keyof typeof RATED_LINE_COLUMNS,
  number
>;

/** A tier as stored in `tiers` (money as exact decimal strings). */
export interface StoredTier {
  resellerId: string;
  unitCost: string;
  unitPrice: string;
  ruleSource: string;
  costAmount: string;
  saleAmount: string;
  margin: string;
  priceVersionId: string | null;
}

/**
 * A rated line as a row of `billing_rated_line`: its values in the order of RATED_LINE_COLUMNS (an
 * array, not an object keyed by column: a page writes tens of thousands, see `copyRows`).
 */
export function ratedLineRow(line: RatedLine, key: { runId: string; round: number; scenario: string; page: number }): unknown[] {
  const seconds = BigInt(line.share.secondsExisted);
  const secondsInPeriod = BigInt(line.share.secondsInPeriod);
  const tiers: StoredTier[] = line.tiers.map((t) => ({
    resellerId: t.resellerId,
    unitCost: t.unitCost.toString(),
    unitPrice: t.unitPrice.toString(),
    ruleSource: t.ruleSource,
    costAmount: t.costAmount.toString(),
    saleAmount: t.saleAmount.toString(),
    margin: t.margin.toString(),
    priceVersionId: t.priceVersionId,
  }));
  return [
    key.runId,
    key.round,
    key.scenario,
    line.id,
    key.page,
    line.clientId,
    line.resellerIds[line.resellerIds.length - 1],
    line.resellerIds[0],
    line.sku,
    line.usagePeriod,
    line.late,
    line.from.toISOString(),
    line.to.toISOString(),
    line.quantity.toFixed(),
    proratedQuantity({ quantitySeconds: exactMul(line.quantity, new Dec(seconds.toString())), secondsInPeriod }).rounded,
    seconds.toString(),
    secondsInPeriod.toString(),
    line.currency,
    line.wholesaleUnitPrice.toString(),
    line.wholesalePriceVersionId,
    line.clientUnitPrice.toString(),
    line.wholesaleAmount.toString(),
    line.clientAmount.toString(),
    tiers,
    line.attribution.distributorId,
    line.attribution.distributorAgreementId,
    line.attribution.agentId,
    line.attribution.agentAgreementId,
    line.attribution.agentEligible,
    line.origin,
  ];
}
