import { DomainError } from '../errors';
import { Dec, exactAdd, exactMul, exactSub, Money, parseCurrency, parseDecimal, parseRatio, ratioOfDecimals, type CurrencyCode, type Ratio } from '../money';
import { epochSeconds, parseInstant } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import type { Attribution, Channel, DistributorAgreementVersion } from './channel';
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
  /** How many rated lines the basis sums. */
  ratedLineCount: number;
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
  /** How many rated lines the basis sums. */
  ratedLineCount: number;
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

/**
 * What the cuts need of a client's rated lines, summed per attribution (distributor, agent and
 * their agreement versions, the agent's window): every cut is a rounding of a sum of whole lines'
 * wholesale amounts, so a run can gather these while it rates and compute its cuts without reading
 * the lines again. `computeCuts` over lines is `cutsFromBases` over their bases.
 */
export interface CutBasis {
  clientId: string;
  attribution: Attribution;
  /** Σ wholesale amounts of the lines. */
  wholesaleAmount: Money;
  /** Σ client amounts and Σ reseller margins (every tier) of the lines: the run's totals. */
  clientAmount: Money;
  resellerMargin: Money;
  ratedLineCount: number;
  /** Some line is this period's own usage (not a late correction) with a positive quantity: the client used something. */
  used: boolean;
}

/**
 * Rated lines gathered into their bases, keyed by client and attribution (a page is gathered slice
 * by slice): each basis keeps its lines' amounts and sums them once, when listed. A line of another
 * currency or billed in another period is refused.
 */
export class CutBases {
  private readonly parts = new Map<
    string,
    { clientId: string; attribution: Attribution; wholesale: Money[]; client: Money[]; margin: Money[]; ratedLineCount: number; used: boolean }
  >();

  constructor(
    private readonly period: string,
    private readonly currency: CurrencyCode,
  ) {}

  add(lines: readonly RatedLine[]): this {
    for (const line of lines) {
      if (line.currency !== this.currency)
        throw DomainError.invalid(BillingErrorCode.InvalidInput, 'lines', `line ${line.id} is in ${line.currency}, the run in ${this.currency}`);
      if (line.billedPeriod !== this.period)
        throw DomainError.invalid(BillingErrorCode.InvalidInput, 'lines', `line ${line.id} is billed in ${line.billedPeriod}, not ${this.period}`);
      const part = this.partOf(line.clientId, line.attribution);
      part.wholesale.push(line.wholesaleAmount);
      part.client.push(line.clientAmount);
      for (const tier of line.tiers) part.margin.push(tier.margin);
      part.ratedLineCount += 1;
      part.used ||= !line.late && !line.quantity.isNegative() && !line.quantity.isZero();
    }
    return this;
  }

  /** A basis as summed elsewhere (a stored page's). */
  addBasis(basis: CutBasis): this {
    const part = this.partOf(basis.clientId, basis.attribution);
    part.wholesale.push(basis.wholesaleAmount);
    part.client.push(basis.clientAmount);
    part.margin.push(basis.resellerMargin);
    part.ratedLineCount += basis.ratedLineCount;
    part.used ||= basis.used;
    return this;
  }

  private partOf(clientId: string, attribution: Attribution) {
    const key = cutBasisKey(clientId, attribution);
    let part = this.parts.get(key);
    if (!part) {
      part = { clientId, attribution: { ...attribution }, wholesale: [], client: [], margin: [], ratedLineCount: 0, used: false };
      this.parts.set(key, part);
    }
    return part;
  }

  list(): CutBasis[] {
    return [...this.parts.values()].map((p) => ({
      clientId: p.clientId,
      attribution: p.attribution,
      wholesaleAmount: Money.sum(p.wholesale, this.currency),
      clientAmount: Money.sum(p.client, this.currency),
      resellerMargin: Money.sum(p.margin, this.currency),
      ratedLineCount: p.ratedLineCount,
      used: p.used,
    }));
  }
}

/** A basis's key: its client and attribution. */
function cutBasisKey(clientId: string, a: Attribution): string {
  return `${clientId}|${a.distributorId}|${a.distributorAgreementId}|${a.agentId}|${a.agentAgreementId}|${a.agentEligible}`;
}

export function computeCuts(input: CutsInput): PeriodCuts {
  const currency = parseCurrency(input.currency);
  const bases = new CutBases(input.period.id, currency).add(input.lines).list();
  return cutsFromBases({ period: input.period, currency, channel: input.channel, volumes: input.volumes, bases });
}

export interface BasesCutsInput extends Omit<CutsInput, 'lines'> {
  bases: readonly CutBasis[];
}

/** The cuts of `computeCuts`, from the lines' bases. */
export function cutsFromBases(input: BasesCutsInput): PeriodCuts {
  const currency = parseCurrency(input.currency);
  const zero = Money.zero(currency);
  const sum = (amounts: Money[]) => Money.sum(amounts, currency);

  // Distributors: volume, then one commission line per client and agreement version.
  const byDistributor = groupBy(input.bases.filter(earnsDistributor), (b) => b.attribution.distributorId!);
  const commissionLines: CommissionLine[] = [];
  const volumes = new Map<string, Money>();
  for (const [distributorId, bases] of byDistributor) {
    const volume = input.volumes?.get(distributorId) ?? sum(bases.map((b) => b.wholesaleAmount));
    volumes.set(distributorId, volume);
    // The rate depends on the version and the distributor's volume only: worked out once per version.
    const rates = new Map<string, { ratio: Ratio; text: CommissionLine['rate'] }>();
    for (const [, group] of groupBy(bases, (b) => `${b.clientId}|${b.attribution.distributorAgreementId}`)) {
      const agreement = input.channel.distributorAgreement(group[0].attribution.distributorAgreementId!);
      const basis = sum(group.map((b) => b.wholesaleAmount));
      let rate = rates.get(agreement.id);
      if (!rate) {
        const ratio = commissionRate(agreement, volume.amount);
        rates.set(agreement.id, (rate = { ratio, text: { numerator: ratio.numerator.toString(), denominator: ratio.denominator.toString() } }));
      }
      commissionLines.push({
        id: `dc:${distributorId}:${group[0].clientId}:${agreement.id}`,
        distributorId,
        clientId: group[0].clientId,
        agreementId: agreement.id,
        basis,
        volume,
        rate: { ...rate.text },
        amount: basis.mulRatioRoundedToMinor(rate.ratio),
        ratedLineCount: lineCount(group),
      });
    }
  }

  const activeClients = new Set(activeClientIds(input));
  const feeLines = activeClientFees(input, [...activeClients].sort(compare), currency);

  // Agents: one line per client and agreement version, over the lines within the window.
  const agentLines: AgentLine[] = [];
  const agentRates = new Map<string, Dec>();
  const credited = input.bases.filter((b) => b.attribution.agentId && b.attribution.agentAgreementId && b.attribution.agentEligible);
  for (const [, group] of groupBy(credited, (b) => `${b.clientId}|${b.attribution.agentId}|${b.attribution.agentAgreementId}`)) {
    const { agentId, agentAgreementId } = group[0].attribution;
    const agreement = input.channel.agentAgreement(agentAgreementId!);
    const basis = sum(group.map((b) => b.wholesaleAmount));
    let rate = agentRates.get(agreement.id);
    if (!rate) agentRates.set(agreement.id, (rate = parseDecimal(agreement.rate, 'rate')));
    const amount = basis.mul(rate).roundToMinor();
    const fundedBy = agreement.fundedBy ?? 'operator';
    agentLines.push({
      id: `ac:${agentId}:${group[0].clientId}:${agreement.id}`,
      agentId: agentId!,
      clientId: group[0].clientId,
      agreementId: agreement.id,
      basis,
      rate: rate.toFixed(),
      amount,
      fundedBy,
      carvedFrom: fundedBy === 'distributor' ? input.channel.agent(agentId!).distributorId : null,
      carvedOut: zero,
      operatorFunded: amount,
      ratedLineCount: lineCount(group),
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
  const commissionsOf = groupBy(commissionLines, (c) => c.distributorId);
  const feesOf = groupBy(feeLines, (f) => f.distributorId);
  const carveOutsOf = groupBy(
    agentLines.filter((a) => a.carvedFrom && !a.carvedOut.isZero()),
    (a) => a.carvedFrom!,
  );
  const distributors: DistributorStatement[] = distributorIds.map((distributorId) => {
    const own = commissionsOf.get(distributorId) ?? [];
    const fees = feesOf.get(distributorId) ?? [];
    const carveOuts = carveOutsOf.get(distributorId) ?? [];
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

  const linesOf = groupBy(agentLines, (a) => a.agentId);
  const agents: AgentStatement[] = [...linesOf].map(([agentId, lines]) => ({
    agentId,
    lines,
    payout: sum(lines.map((l) => l.amount)),
    operatorFunded: sum(lines.map((l) => l.operatorFunded)),
    carvedOut: sum(lines.map((l) => l.carvedOut)),
  }));

  const wholesale = sum(input.bases.map((b) => b.wholesaleAmount));
  const distributorCuts = sum(distributors.map((d) => d.gross));
  const operatorFundedAgentCuts = sum(agents.map((a) => a.operatorFunded));
  return {
    period: input.period.id,
    currency,
    clientInvoices: sum(input.bases.map((b) => b.clientAmount)),
    resellerMargins: sum(input.bases.map((b) => b.resellerMargin)),
    wholesale,
    distributors,
    agents,
    distributorCuts,
    operatorFundedAgentCuts,
    carveOuts: sum(agents.map((a) => a.carvedOut)),
    operatorNet: wholesale.sub(distributorCuts).sub(operatorFundedAgentCuts),
  };
}

function lineCount(bases: readonly CutBasis[]): number {
  return bases.reduce((n, b) => n + b.ratedLineCount, 0);
}

/** A line (or a basis of lines) some distributor earns on under an agreement version: part of its volume. */
function earnsDistributor(line: { attribution: Attribution }): boolean {
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
export function activeClientIds(input: Pick<BasesCutsInput, 'period' | 'bases' | 'channel'>): string[] {
  const active = new Set<string>();
  for (const basis of input.bases) {
    if (!basis.used || active.has(basis.clientId)) continue;
    if (parseInstant(input.channel.client(basis.clientId).activeSince, 'activeSince').getTime() >= input.period.end.getTime()) continue;
    active.add(basis.clientId);
  }
  return [...active].sort(compare);
}

/**
 * The fee per active client, split by time: each distributor (and agreement version) responsible
 * for the client during the period gets fee × its seconds / seconds in the period.
 */
function activeClientFees(input: BasesCutsInput, activeClients: readonly string[], currency: CurrencyCode): FeeLine[] {
  const lines: FeeLine[] = [];
  for (const clientId of activeClients) {
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
