import { Dec, exactMul, Money, proratedQuantity, type RatedLine, type UsageOrigin } from '@wholesail/domain';
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

/** A stored row as the domain's RatedLine again (for the cuts and the ledger of its page). */
export function ratedLineFromRow(row: Record<string, any>, billedPeriod: string): RatedLine {
  const currency: string = row.currency;
  const money = (value: string) => Money.of(String(value), currency);
  const tiers = row.tiers as StoredTier[];
  return {
    id: row.id,
    segmentKey: String(row.id).replace(/#\d+$/, ''),
    clientId: row.client_id,
    sku: row.sku,
    usagePeriod: row.usage_period,
    billedPeriod,
    late: row.late,
    from: new Date(row.from_at),
    to: new Date(row.to_at),
    quantity: new Dec(String(row.quantity)),
    share: { secondsExisted: String(row.seconds), secondsInPeriod: String(row.seconds_in_period) },
    resellerIds: tiers.map((t) => t.resellerId),
    currency: money('0').currency,
    wholesaleUnitPrice: money(row.wholesale_unit_price),
    wholesalePriceVersionId: row.wholesale_price_version_id ?? null,
    clientUnitPrice: money(row.client_unit_price),
    wholesaleAmount: money(row.wholesale_amount),
    tiers: tiers.map((t) => ({
      resellerId: t.resellerId,
      unitCost: money(t.unitCost),
      unitPrice: money(t.unitPrice),
      ruleSource: t.ruleSource as RatedLine['tiers'][number]['ruleSource'],
      costAmount: money(t.costAmount),
      saleAmount: money(t.saleAmount),
      margin: money(t.margin),
      priceVersionId: t.priceVersionId,
    })),
    clientAmount: money(row.client_amount),
    attribution: {
      distributorId: row.distributor_id ?? null,
      distributorAgreementId: row.distributor_agreement_id ?? null,
      agentId: row.agent_id ?? null,
      agentAgreementId: row.agent_agreement_id ?? null,
      agentEligible: row.agent_eligible,
    },
    origin: row.origin as UsageOrigin,
  };
}
