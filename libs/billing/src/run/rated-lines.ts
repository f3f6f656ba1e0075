import { Dec, exactMul, proratedQuantity, type RatedLine } from '@wholesail/domain';
import type { Columns } from './sql';

/** The columns of `billing_rated_line`, as json_to_recordset reads them. */
export const RATED_LINE_COLUMNS: Columns = {
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
};

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

export function ratedLineRow(line: RatedLine, key: { runId: string; round: number; scenario: string; page: number }): Record<string, unknown> {
  const seconds = BigInt(line.share.secondsExisted);
  const secondsInPeriod = BigInt(line.share.secondsInPeriod);
  return {
    run_id: key.runId,
    round: key.round,
    scenario: key.scenario,
    id: line.id,
    page: key.page,
    client_id: line.clientId,
    reseller_id: line.resellerIds[line.resellerIds.length - 1],
    top_reseller_id: line.resellerIds[0],
    sku: line.sku,
    usage_period: line.usagePeriod,
    late: line.late,
    from_at: line.from.toISOString(),
    to_at: line.to.toISOString(),
    quantity: line.quantity.toFixed(),
    prorated_quantity: proratedQuantity({ quantitySeconds: exactMul(line.quantity, new Dec(seconds.toString())), secondsInPeriod }).rounded,
    seconds: seconds.toString(),
    seconds_in_period: secondsInPeriod.toString(),
    currency: line.currency,
    wholesale_unit_price: line.wholesaleUnitPrice.toString(),
    wholesale_price_version_id: line.wholesalePriceVersionId,
    client_unit_price: line.clientUnitPrice.toString(),
    wholesale_amount: line.wholesaleAmount.toString(),
    client_amount: line.clientAmount.toString(),
    tiers: line.tiers.map((t): StoredTier => ({
      resellerId: t.resellerId,
      unitCost: t.unitCost.toString(),
      unitPrice: t.unitPrice.toString(),
      ruleSource: t.ruleSource,
      costAmount: t.costAmount.toString(),
      saleAmount: t.saleAmount.toString(),
      margin: t.margin.toString(),
      priceVersionId: t.priceVersionId,
    })),
    distributor_id: line.attribution.distributorId,
    distributor_agreement_id: line.attribution.distributorAgreementId,
    agent_id: line.attribution.agentId,
    agent_agreement_id: line.attribution.agentAgreementId,
    agent_eligible: line.attribution.agentEligible,
    origin: line.origin,
  };
}
