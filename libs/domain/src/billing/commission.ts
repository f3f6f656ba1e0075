import { DomainError } from '../errors';
import { Dec, exactAdd, exactMul, exactSub, Money, parseCurrency, parseDecimal, parseRatio, ratioOfDecimals, type CurrencyCode } from '../money';
import { epochSeconds, parseInstant } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import type { Channel, DistributorAgreementVersion } from './channel';
import type { BillingPeriod } from './period';
import type { RatedLine } from './rating';

/**
 * The month-end cut (see README.md in this folder for the rules in words). Input: a run's rated
 * lines and the channel; output: every distributor's and agent's statement lines, each rounded
 * once, half-even, and the operator's net, which absorbs the rounding.
 */

/** A distributor's commission on one client under one agreement version. */
export interface CommissionLine {
  id: string;
  distributorId: string;
  clientId: string;
  agreementId: string;
  /** Σ wholesale amounts of the client's lines attributed to this distributor and version. */
  basis: Money;
  /** The distributor's whole wholesale volume this run (what the volume tiers look at). */
  volume: Money;
  /** The version's rate, or with tiers the blended rate tiered(volume) / volume, exactly, as numerator/denominator. */
  rate: { numerator: string; denominator: string };
  amount: Money;
  ratedLineIds: string[];
}

/** A distributor's fee for one active client under one agreement version, split by time. */
export interface FeeLine {
  id: string;
  distributorId: string;
  clientId: string;
  agreementId: string;
  feePerActiveClient: Money;
  /** The seconds of the period the client was this distributor's under this version. */
  seconds: string;
  secondsInPeriod: string;
  amount: Money;
}

/** An agent's cut on one client under one agreement version. */
export interface AgentLine {
  id: string;
  agentId: string;
  clientId: string;
  agreementId: string;
  /** Σ wholesale amounts of the client's lines credited to the agent, within its first-N-months window. */
  basis: Money;
  rate: string;
  amount: Money;
  fundedBy: 'operator' | 'distributor';
  /** The distributor whose cut funds `carvedOut` (the agent's own), or null. */
  carvedFrom: string | null;
  carvedOut: Money;
  operatorFunded: Money;
  ratedLineIds: string[];
}

export interface DistributorStatement {
  distributorId: string;
  volume: Money;
  activeClients: string[];
  commissionLines: CommissionLine[];
  feeLines: FeeLine[];
  /** Agents' cuts carved out of this distributor's: deductions on its payout. */
  carveOuts: AgentLine[];
  /** Σ commission lines + Σ fee lines. */
  gross: Money;
  /** Σ carve-outs. */
  deductions: Money;
  /** gross − deductions: what the operator owes it. */
  payout: Money;
}

export interface AgentStatement {
  agentId: string;
  lines: AgentLine[];
  /** Σ line amounts: what it is owed, whoever funds it. */
  payout: Money;
  operatorFunded: Money;
  carvedOut: Money;
}

export interface PeriodCuts {
  period: string;
  currency: CurrencyCode;
  clientInvoices: Money;
  resellerMargins: Money;
  wholesale: Money;
  distributors: DistributorStatement[];
  agents: AgentStatement[];
  /** Σ distributors' gross (carve-outs are inside it). */
  distributorCuts: Money;
  operatorFundedAgentCuts: Money;
  carveOuts: Money;
  /** wholesale − distributor cuts − operator-funded agent cuts. */
  operatorNet: Money;
}

export interface CutsInput {
  period: BillingPeriod;
  currency: string;
  lines: readonly RatedLine[];
  channel: Channel;
  /**
   * Each distributor's whole volume this run (Σ wholesale of its attributed lines), when `lines` is
   * only a page of the run's clients: the volume tiers look at the month's volume, never a page's.
   * Every other figure depends only on one client's lines, so cuts computed page by page with the
   * run's volumes are the run's cuts. Absent: the volume of `lines`.
   */
  volumes?: ReadonlyMap<string, Money>;
}

export function computeCuts(input: CutsInput): PeriodCuts {
  const currency = parseCurrency(input.currency);
  const zero = Money.zero(currency);
  const sum = (amounts: Money[]) => Money.sum(amounts, currency);
  for (const line of input.lines) {
    if (line.currency !== currency)
      throw DomainError.invalid(BillingErrorCode.InvalidInput, 'lines', `line ${line.id} is in ${line.currency}, the run in ${currency}`);
    if (line.billedPeriod !== input.period.id)
      throw DomainError.invalid(BillingErrorCode.InvalidInput, 'lines', `line ${line.id} is billed in ${line.billedPeriod}, not ${input.period.id}`);
  }

  // Distributors: volume, then one commission line per client and agreement version.
  const byDistributor = groupBy(input.lines.filter(earnsDistributor), (l) => l.attribution.distributorId!);
  const commissionLines: CommissionLine[] = [];
  const volumes = new Map<string, Money>();
  for (const [distributorId, lines] of byDistributor) {
    const volume = input.volumes?.get(distributorId) ?? sum(lines.map((l) => l.wholesaleAmount));
    volumes.set(distributorId, volume);
    for (const [, group] of groupBy(lines, (l) => `${l.clientId}|${l.attribution.distributorAgreementId}`)) {
      const agreement = input.channel.distributorAgreement(group[0].attribution.distributorAgreementId!);
      const basis = sum(group.map((l) => l.wholesaleAmount));
      const rate = commissionRate(agreement, volume.amount);
      commissionLines.push({
        id: `dc:${distributorId}:${group[0].clientId}:${agreement.id}`,
        distributorId,
        clientId: group[0].clientId,
        agreementId: agreement.id,
        basis,
        volume,
        rate: { numerator: rate.numerator.toString(), denominator: rate.denominator.toString() },
        amount: basis.mulRatioRoundedToMinor(rate),
        ratedLineIds: group.map((l) => l.id),
      });
    }
  }

  const feeLines = activeClientFees(input, currency);
  const activeClients = new Set(activeClientIds(input));

  // Agents: one line per client and agreement version, over the lines within the window.
  const agentLines: AgentLine[] = [];
  const credited = input.lines.filter((l) => l.attribution.agentId && l.attribution.agentAgreementId && l.attribution.agentEligible);
  for (const [, group] of groupBy(credited, (l) => `${l.clientId}|${l.attribution.agentId}|${l.attribution.agentAgreementId}`)) {
    const { agentId, agentAgreementId } = group[0].attribution;
    const agreement = input.channel.agentAgreement(agentAgreementId!);
    const basis = sum(group.map((l) => l.wholesaleAmount));
    const amount = basis.mul(parseDecimal(agreement.rate, 'rate')).roundToMinor();
    const fundedBy = agreement.fundedBy ?? 'operator';
    agentLines.push({
      id: `ac:${agentId}:${group[0].clientId}:${agreement.id}`,
      agentId: agentId!,
      clientId: group[0].clientId,
      agreementId: agreement.id,
      basis,
      rate: parseDecimal(agreement.rate, 'rate').toFixed(),
      amount,
      fundedBy,
      carvedFrom: fundedBy === 'distributor' ? input.channel.agent(agentId!).distributorId : null,
      carvedOut: zero,
      operatorFunded: amount,
      ratedLineIds: group.map((l) => l.id),
    });
  }
  agentLines.sort((a, b) => compare(a.clientId, b.clientId) || compare(a.agentId, b.agentId) || compare(a.agreementId, b.agreementId));

  // Carve-outs: out of the agent's distributor's cut on the same client, never more than it.
  const cutOnClient = new Map<string, Money>();
  for (const cut of [...commissionLines, ...feeLines]) {
    const key = `${cut.distributorId}|${cut.clientId}`;
    cutOnClient.set(key, (cutOnClient.get(key) ?? zero).add(cut.amount));
  }
  const carvedSoFar = new Map<string, Money>();
  for (const line of agentLines) {
    if (!line.carvedFrom || !isPositive(line.amount)) continue;
    const key = `${line.carvedFrom}|${line.clientId}`;
    const left = (cutOnClient.get(key) ?? zero).sub(carvedSoFar.get(key) ?? zero);
    const available = left.isNegative() ? zero : left;
    line.carvedOut = line.amount.lessThan(available) ? line.amount : available;
    line.operatorFunded = line.amount.sub(line.carvedOut);
    carvedSoFar.set(key, (carvedSoFar.get(key) ?? zero).add(line.carvedOut));
  }

  const distributorIds = [...new Set([...commissionLines.map((c) => c.distributorId), ...feeLines.map((f) => f.distributorId)])].sort(compare);
  const distributors: DistributorStatement[] = distributorIds.map((distributorId) => {
    const own = commissionLines.filter((c) => c.distributorId === distributorId);
    const fees = feeLines.filter((f) => f.distributorId === distributorId);
    const carveOuts = agentLines.filter((a) => a.carvedFrom === distributorId && !a.carvedOut.isZero());
    const gross = sum([...own.map((c) => c.amount), ...fees.map((f) => f.amount)]);
    const deductions = sum(carveOuts.map((a) => a.carvedOut));
    return {
      distributorId,
      volume: volumes.get(distributorId) ?? zero,
      activeClients: [...new Set(fees.map((f) => f.clientId))].filter((c) => activeClients.has(c)).sort(compare),
      commissionLines: own,
      feeLines: fees,
      carveOuts,
      gross,
      deductions,
      payout: gross.sub(deductions),
    };
  });

  const agents: AgentStatement[] = [...new Set(agentLines.map((a) => a.agentId))].sort(compare).map((agentId) => {
    const lines = agentLines.filter((a) => a.agentId === agentId);
    return {
      agentId,
      lines,
      payout: sum(lines.map((l) => l.amount)),
      operatorFunded: sum(lines.map((l) => l.operatorFunded)),
      carvedOut: sum(lines.map((l) => l.carvedOut)),
    };
  });

  const wholesale = sum(input.lines.map((l) => l.wholesaleAmount));
  const distributorCuts = sum(distributors.map((d) => d.gross));
  const operatorFundedAgentCuts = sum(agents.map((a) => a.operatorFunded));
  return {
    period: input.period.id,
    currency,
    clientInvoices: sum(input.lines.map((l) => l.clientAmount)),
    resellerMargins: sum(input.lines.flatMap((l) => l.tiers.map((t) => t.margin))),
    wholesale,
    distributors,
    agents,
    distributorCuts,
    operatorFundedAgentCuts,
    carveOuts: sum(agents.map((a) => a.carvedOut)),
    operatorNet: wholesale.sub(distributorCuts).sub(operatorFundedAgentCuts),
  };
}

/** A line some distributor earns on under an agreement version: part of its volume. */
function earnsDistributor(line: RatedLine): boolean {
  return line.attribution.distributorId !== null && line.attribution.distributorAgreementId !== null;
}

/**
 * Each distributor's volume over `lines` (Σ wholesale of the lines it earns on, under any
 * agreement version). A run rated page by page adds its pages' volumes into the run's, which
 * `computeCuts` takes as `volumes`.
 */
export function distributorVolumes(lines: readonly RatedLine[], currency: string): Map<string, Money> {
  const volumes = new Map<string, Money>();
  for (const line of lines.filter(earnsDistributor)) {
    const id = line.attribution.distributorId!;
    volumes.set(id, (volumes.get(id) ?? Money.zero(currency)).add(line.wholesaleAmount));
  }
  return volumes;
}

/**
 * Commission on a monthly volume with marginal brackets: the version's `rate` from 0 up to the
 * first tier's `from`, each tier's rate on the volume between its `from` and the next one's.
 * A volume of zero or less (credits only) takes the base rate, linearly.
 */
export function tieredCommission(version: Pick<DistributorAgreementVersion, 'rate' | 'volumeTiers'>, volume: Dec): Dec {
  const base = parseDecimal(version.rate, 'rate');
  if (!volume.isPositive() || volume.isZero()) return exactMul(volume, base);
  const brackets = [
    { from: new Dec('0'), rate: base },
    ...(version.volumeTiers ?? []).map((t) => ({ from: parseDecimal(t.from), rate: parseDecimal(t.rate) })),
  ];
  let total = new Dec('0');
  brackets.forEach((bracket, i) => {
    const upper = brackets[i + 1]?.from;
    if (!volume.greaterThan(bracket.from)) return;
    const top = upper && volume.greaterThan(upper) ? upper : volume;
    total = exactAdd(total, exactMul(exactSub(top, bracket.from), bracket.rate));
  });
  return total;
}

/** The rate a client's basis is charged at: tiered(volume) / volume, exact (the base rate without tiers). */
export function commissionRate(version: Pick<DistributorAgreementVersion, 'rate' | 'volumeTiers'>, volume: Dec) {
  const base = parseDecimal(version.rate, 'rate');
  if (!version.volumeTiers?.length || !volume.isPositive() || volume.isZero()) return ratioOfDecimals(base, new Dec('1'));
  return ratioOfDecimals(tieredCommission(version, volume), volume);
}

/**
 * A client is active in a period when it became a customer before the period ended
 * (activeSince < end) and used something in it: a line of this period's own usage (not a late
 * correction of an earlier one) with a positive quantity. Its status does not matter.
 */
export function activeClientIds(input: Pick<CutsInput, 'period' | 'lines' | 'channel'>): string[] {
  const active = new Set<string>();
  for (const line of input.lines) {
    if (line.late || line.quantity.isNegative() || line.quantity.isZero()) continue;
    if (parseInstant(input.channel.client(line.clientId).activeSince, 'activeSince').getTime() >= input.period.end.getTime()) continue;
    active.add(line.clientId);
  }
  return [...active].sort(compare);
}

/**
 * The fee per active client, split by time: each distributor (and agreement version) responsible
 * for the client during the period gets fee × its seconds / seconds in the period.
 */
function activeClientFees(input: CutsInput, currency: CurrencyCode): FeeLine[] {
  const lines: FeeLine[] = [];
  for (const clientId of activeClientIds(input)) {
    const seconds = new Map<string, { distributorId: string; agreementId: string; seconds: bigint }>();
    for (const part of input.channel.intervals(clientId, input.period.start, input.period.end)) {
      const { distributorId, distributorAgreementId } = part.attribution;
      if (!distributorId || !distributorAgreementId) continue;
      const key = `${distributorId}|${distributorAgreementId}`;
      const entry = seconds.get(key) ?? { distributorId, agreementId: distributorAgreementId, seconds: 0n };
      entry.seconds += epochSeconds(part.to) - epochSeconds(part.from);
      seconds.set(key, entry);
    }
    for (const entry of seconds.values()) {
      const agreement = input.channel.distributorAgreement(entry.agreementId);
      if (agreement.feePerActiveClient == null || entry.seconds === 0n) continue;
      const fee = Money.of(agreement.feePerActiveClient, currency, 'feePerActiveClient');
      lines.push({
        id: `df:${entry.distributorId}:${clientId}:${entry.agreementId}`,
        distributorId: entry.distributorId,
        clientId,
        agreementId: entry.agreementId,
        feePerActiveClient: fee,
        seconds: entry.seconds.toString(),
        secondsInPeriod: input.period.seconds.toString(),
        amount: fee.mulRatioRoundedToMinor(parseRatio(entry.seconds, input.period.seconds)),
      });
    }
  }
  return lines;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return new Map([...groups].sort(([a], [b]) => compare(a, b)));
}

function isPositive(amount: Money): boolean {
  return !amount.isNegative() && !amount.isZero();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
