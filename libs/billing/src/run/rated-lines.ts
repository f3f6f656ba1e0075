import { Dec, exactMul, proratedQuantity, type RatedLine } from '@wholesail/domain';
import { COPY_NULL, copyText, type Columns } from './sql';

/** The columns of `billing_rated_line`, in the order `ratedLineCopy` writes their values. */
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

/** What a rated line's rows (its own, its invoice lines') print of it, worked out once. */
export interface RatedLineText {
  resellerId: string;
  from: string;
  to: string;
  quantity: string;
  proratedQuantity: string;
  clientUnitPrice: string;
  clientAmount: string;
  tiers: StoredTier[];
  /** `tiers` as the column stores it (JSON; nothing in it needs escaping for COPY: `storedTiersJson`). */
  tiersJson: string;
}

export function ratedLineText(line: RatedLine): RatedLineText {
  const secondsInPeriod = BigInt(line.share.secondsInPeriod);
  const tiers = line.tiers.map((t) => ({
    resellerId: t.resellerId,
    unitCost: t.unitCost.toString(),
    unitPrice: t.unitPrice.toString(),
    ruleSource: t.ruleSource,
    costAmount: t.costAmount.toString(),
    saleAmount: t.saleAmount.toString(),
    margin: t.margin.toString(),
    priceVersionId: t.priceVersionId,
  }));
  return {
    resellerId: line.resellerIds[line.resellerIds.length - 1],
    from: line.from.toISOString(),
    to: line.to.toISOString(),
    quantity: line.quantity.toFixed(),
    proratedQuantity: proratedQuantity({ quantitySeconds: exactMul(line.quantity, new Dec(line.share.secondsExisted)), secondsInPeriod }).rounded,
    clientUnitPrice: line.clientUnitPrice.toString(),
    clientAmount: line.clientAmount.toString(),
    tiers,
    tiersJson: storedTiersJson(tiers),
  };
}

/**
 * Tiers as JSON, written out directly: `JSON.stringify` of the same objects, key for key, at a
 * fraction of its cost (a run writes a million of them). Every value is a party or price version id
 * (UUIDs, read from uuid columns), an exact decimal, a rule source or null: none holds a character
 * that JSON or COPY's text format escapes.
 */
export function storedTiersJson(tiers: readonly StoredTier[]): string {
  let json = '[';
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i];
    json += `${i > 0 ? ',' : ''}{"resellerId":"${t.resellerId}","unitCost":"${t.unitCost}","unitPrice":"${t.unitPrice}","ruleSource":"${t.ruleSource}","costAmount":"${t.costAmount}","saleAmount":"${t.saleAmount}","margin":"${t.margin}","priceVersionId":${t.priceVersionId === null ? 'null' : `"${t.priceVersionId}"`}}`;
  }
  return `${json}]`;
}

/**
 * A rated line as a row of `billing_rated_line` in COPY's text format, its values in the order of
 * RATED_LINE_COLUMNS: written straight from the line (a page writes tens of thousands), only the
 * values that may hold any character escaped (ids, numbers, instants and flags cannot).
 */
export function ratedLineCopy(line: RatedLine, text: RatedLineText, key: { runId: string; round: number; scenario: string; page: number }): string {
  const a = line.attribution;
  return [
    key.runId,
    key.round,
    key.scenario,
    copyText(line.id),
    key.page,
    line.clientId,
    text.resellerId,
    line.resellerIds[0],
    copyText(line.sku),
    line.usagePeriod,
    line.late,
    text.from,
    text.to,
    text.quantity,
    text.proratedQuantity,
    line.share.secondsExisted,
    line.share.secondsInPeriod,
    line.currency,
    line.wholesaleUnitPrice.toString(),
    line.wholesalePriceVersionId ?? COPY_NULL,
    text.clientUnitPrice,
    line.wholesaleAmount.toString(),
    text.clientAmount,
    text.tiersJson,
    a.distributorId ?? COPY_NULL,
    a.distributorAgreementId ?? COPY_NULL,
    a.agentId ?? COPY_NULL,
    a.agentAgreementId ?? COPY_NULL,
    a.agentEligible,
    copyText(JSON.stringify(line.origin)),
  ].join('\t');
}
