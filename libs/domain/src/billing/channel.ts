import { DomainError } from '../errors';
import { DecimalInput, parseDecimal } from '../money';
import { volumeTierProblems, type CommissionFunder } from '../parties/agreement-terms';
import { boundariesWithin, EffectiveRange, intervalContains, overlappingPairs, parseRange, versionInForce } from '../pricing/effective-range';
import { Instant, parseInstant } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import { addMonthsInZone } from './period';

/**
 * Who earns on a client, and when: the channel as the month-end cut needs it, all effective-dated
 * over [effectiveFrom, effectiveTo) like every versioned record.
 *
 * - A top-level reseller is assigned to a distributor (or to the operator directly: null) by
 *   `assignments`; every client under it, through sub-resellers at any depth, goes with it.
 * - A client is credited to an agent (`foundBy`) by `agentCredits`; a credit may change.
 * - Distributors and agents have agreement versions.
 * - A client's `activeSince` (customer since) starts the agent's "first N months".
 */
export interface DistributorAssignment extends EffectiveRange {
  resellerId: string;
  /** null: recruited by the operator directly. */
  distributorId: string | null;
}

export interface AgentCredit extends EffectiveRange {
  clientId: string;
  /** null: credited to no agent over this range. */
  agentId: string | null;
}

/** From `from` (monthly wholesale volume) upwards, `rate` applies to the volume above it. */
export interface VolumeTier {
  from: DecimalInput;
  rate: DecimalInput;
}

export interface DistributorAgreementVersion extends EffectiveRange {
  id: string;
  distributorId: string;
  /** A fraction: 0.05 is 5 %. With tiers, the rate from 0 up to the first tier. */
  rate: DecimalInput;
  feePerActiveClient?: DecimalInput | null;
  /** Marginal brackets on the distributor's monthly wholesale volume, ascending `from`. */
  volumeTiers?: readonly VolumeTier[] | null;
}

export interface AgentAgreementVersion extends EffectiveRange {
  id: string;
  agentId: string;
  rate: DecimalInput;
  /** The cut applies only to a client's first N months counted from its activeSince. */
  firstMonths?: number | null;
  /** Who pays the cut: the operator (default) or carved out of the agent's distributor's cut. */
  fundedBy?: CommissionFunder | null;
}

export interface BillingClient {
  id: string;
  /** The resellers from the top-level one (which buys at wholesale) down to the client's own. */
  resellerIds: readonly string[];
  /** Customer since. */
  activeSince: Instant;
}

export interface BillingAgent {
  id: string;
  /** The distributor the agent works for: a carve-out comes out of this distributor's cut. */
  distributorId: string;
}

export interface ChannelSnapshot {
  /** The operator's time zone (first-N-months are calendar months there). */
  timeZone: string;
  clients: readonly BillingClient[];
  agents: readonly BillingAgent[];
  assignments: readonly DistributorAssignment[];
  agentCredits: readonly AgentCredit[];
  distributorAgreements: readonly DistributorAgreementVersion[];
  agentAgreements: readonly AgentAgreementVersion[];
}

/** Who earns on a client at an instant. */
export interface Attribution {
  distributorId: string | null;
  /** The distributor's agreement version in force, or null (no agreement: no cut). */
  distributorAgreementId: string | null;
  agentId: string | null;
  agentAgreementId: string | null;
  /** Inside the agent agreement's first-N-months window of the client (always, without a limit). */
  agentEligible: boolean;
}

/** An interval over which the attribution is constant. */
export interface AttributedInterval {
  from: Date;
  to: Date;
  attribution: Attribution;
}

/**
 * The snapshot indexed for lookups; built once per run. Refuses overlapping versions of one owner
 * (two assignments of a reseller, two credits of a client, two agreement versions of a party at
 * once) and clients or agents it cannot place.
 */
export class Channel {
  readonly timeZone: string;
  private readonly clients = new Map<string, BillingClient>();
  private readonly agents = new Map<string, BillingAgent>();
  private readonly assignments = new Map<string, DistributorAssignment[]>();
  private readonly credits = new Map<string, AgentCredit[]>();
  private readonly distributorAgreements = new Map<string, DistributorAgreementVersion[]>();
  private readonly agentAgreements = new Map<string, AgentAgreementVersion[]>();
  private readonly distributorAgreementsById: ReadonlyMap<string, DistributorAgreementVersion>;
  private readonly agentAgreementsById: ReadonlyMap<string, AgentAgreementVersion>;
  /** Ends of first-N-months windows already worked out (time-zone arithmetic is dear; a page asks again per line). */
  private readonly windowEnds = new Map<string, Date>();
  private readonly edges = new Map<string, Date[]>();

  constructor(snapshot: ChannelSnapshot) {
    this.timeZone = snapshot.timeZone;
    for (const client of snapshot.clients) {
      if (!client.resellerIds.length) throw invalid(`clients[${client.id}].resellerIds`, 'must name at least the client’s reseller');
      parseInstant(client.activeSince, `clients[${client.id}].activeSince`);
      this.clients.set(client.id, client);
    }
    for (const agent of snapshot.agents) this.agents.set(agent.id, agent);
    group(this.assignments, snapshot.assignments, (a) => a.resellerId, 'distributor assignment');
    group(this.credits, snapshot.agentCredits, (c) => c.clientId, 'agent credit');
    group(this.distributorAgreements, snapshot.distributorAgreements, (v) => v.distributorId, 'distributor agreement');
    group(this.agentAgreements, snapshot.agentAgreements, (v) => v.agentId, 'agent agreement');
    for (const versions of this.distributorAgreements.values()) versions.forEach(assertVolumeTiers);
    this.distributorAgreementsById = new Map(snapshot.distributorAgreements.map((v) => [v.id, v]));
    this.agentAgreementsById = new Map(snapshot.agentAgreements.map((v) => [v.id, v]));
    for (const credit of snapshot.agentCredits) {
      if (credit.agentId !== null && !this.agents.has(credit.agentId))
        throw invalid('agentCredits', `names agent ${credit.agentId}, which is not among the agents`);
    }
  }

  client(id: string): BillingClient {
    const client = this.clients.get(id);
    if (!client) throw invalid('clientId', `${id} is not among the run’s clients`);
    return client;
  }

  agent(id: string): BillingAgent {
    const agent = this.agents.get(id);
    if (!agent) throw invalid('agentId', `${id} is not among the run’s agents`);
    return agent;
  }

  allClients(): BillingClient[] {
    return [...this.clients.values()];
  }

  distributorAgreement(id: string): DistributorAgreementVersion {
    const version = this.distributorAgreementsById.get(id);
    if (!version) throw invalid('distributorAgreementId', `${id} is unknown`);
    return version;
  }

  agentAgreement(id: string): AgentAgreementVersion {
    const version = this.agentAgreementsById.get(id);
    if (!version) throw invalid('agentAgreementId', `${id} is unknown`);
    return version;
  }

  attributionAt(clientId: string, at: Date): Attribution {
    const client = this.client(clientId);
    const top = client.resellerIds[0];
    const assignment = versionInForce(this.assignments.get(top) ?? [], at, `the distributor assignment of reseller ${top}`);
    const distributorId = assignment?.distributorId ?? null;
    const distributorAgreement = distributorId
      ? versionInForce(this.distributorAgreements.get(distributorId) ?? [], at, `the agreement of distributor ${distributorId}`)
      : undefined;
    const credit = versionInForce(this.credits.get(clientId) ?? [], at, `the agent credit of client ${clientId}`);
    const agentId = credit?.agentId ?? null;
    const agentAgreement = agentId ? versionInForce(this.agentAgreements.get(agentId) ?? [], at, `the agreement of agent ${agentId}`) : undefined;
    return {
      distributorId,
      distributorAgreementId: distributorAgreement?.id ?? null,
      agentId,
      agentAgreementId: agentAgreement?.id ?? null,
      agentEligible: agentAgreement ? this.withinFirstMonths(client, agentAgreement, at) : false,
    };
  }

  /**
   * The instants strictly inside (from, to) where anything that decides who earns on the client
   * may change: its top-level reseller's assignments, its agent credits, the agreements of every
   * distributor and agent involved, and the ends of first-N-months windows.
   */
  boundariesWithin(clientId: string, from: Date, to: Date): Date[] {
    const edges = this.edgesOf(clientId);
    const inside: Date[] = [];
    for (const edge of edges) if (edge.getTime() > from.getTime() && edge.getTime() < to.getTime()) inside.push(edge);
    return inside;
  }

  /** Every instant at which who earns on the client may change, sorted; worked out once per client (a page asks per segment). */
  private edgesOf(clientId: string): Date[] {
    const known = this.edges.get(clientId);
    if (known) return known;
    const client = this.client(clientId);
    const assignments = this.assignments.get(client.resellerIds[0]) ?? [];
    const credits = this.credits.get(clientId) ?? [];
    const distributorIds = new Set(assignments.flatMap((a) => (a.distributorId ? [a.distributorId] : [])));
    const agentIds = new Set(credits.flatMap((c) => (c.agentId ? [c.agentId] : [])));
    const agentAgreements = [...agentIds].flatMap((id) => this.agentAgreements.get(id) ?? []);
    const ranges: EffectiveRange[] = [
      ...assignments,
      ...credits,
      ...[...distributorIds].flatMap((id) => this.distributorAgreements.get(id) ?? []),
      ...agentAgreements,
    ];
    const activeSince = parseInstant(client.activeSince, 'activeSince');
    const windows = new Set(agentAgreements.flatMap((v) => (v.firstMonths ? [v.firstMonths] : [])));
    // A first-N-months window starts at activeSince and ends N months later; without one, neither matters.
    const windowEdges = windows.size ? [activeSince, ...[...windows].map((months) => this.windowEnd(activeSince, months))] : [];
    const all = new Map<number, Date>();
    for (const edge of [...boundariesWithin(ranges, EARLIEST, LATEST), ...windowEdges]) all.set(edge.getTime(), edge);
    const edges = [...all.values()].sort((a, b) => a.getTime() - b.getTime());
    this.edges.set(clientId, edges);
    return edges;
  }

  /** [from, to) cut where the attribution changes, each part with its attribution. */
  intervals(clientId: string, from: Date, to: Date): AttributedInterval[] {
    const edges = [from, ...this.boundariesWithin(clientId, from, to), to];
    const parts: AttributedInterval[] = [];
    for (let i = 0; i + 1 < edges.length; i++) parts.push({ from: edges[i], to: edges[i + 1], attribution: this.attributionAt(clientId, edges[i]) });
    return parts;
  }

  private withinFirstMonths(client: BillingClient, agreement: AgentAgreementVersion, at: Date): boolean {
    if (!agreement.firstMonths) return true;
    const since = parseInstant(client.activeSince, 'activeSince');
    return intervalContains({ from: since, to: this.windowEnd(since, agreement.firstMonths) }, at);
  }

  /** `months` calendar months after `since` in the operator's time zone (addMonthsInZone), remembered. */
  private windowEnd(since: Date, months: number): Date {
    const key = `${since.getTime()}|${months}`;
    let end = this.windowEnds.get(key);
    if (!end) {
      end = addMonthsInZone(since, months, this.timeZone);
      this.windowEnds.set(key, end);
    }
    return end;
  }
}

/** The volume tiers of a version, checked: ascending thresholds above 0, rates in [0, 1] (the agreement's rules). */
export function assertVolumeTiers(version: DistributorAgreementVersion): void {
  const field = `distributorAgreements[${version.id}]`;
  const rate = parseDecimal(version.rate, `${field}.rate`);
  if (rate.isNegative() || rate.greaterThan(1)) throw invalid(`${field}.rate`, 'must be a fraction between 0 and 1');
  const problems = volumeTierProblems(
    (version.volumeTiers ?? []).map((t) => ({ from: String(t.from), rate: String(t.rate) })),
    `${field}.volumeTiers`,
  );
  if (problems.length) throw invalid(problems[0].field, problems[0].problem);
  if (version.feePerActiveClient != null && parseDecimal(version.feePerActiveClient, `${field}.feePerActiveClient`).isNegative()) {
    throw invalid(`${field}.feePerActiveClient`, 'must not be negative');
  }
}

function group<T extends EffectiveRange>(into: Map<string, T[]>, rows: readonly T[], key: (row: T) => string, what: string): void {
  for (const row of rows) {
    parseRange(row, what);
    into.set(key(row), [...(into.get(key(row)) ?? []), row]);
  }
  for (const [owner, versions] of into) {
    if (overlappingPairs(versions).length) {
      throw DomainError.conflict(BillingErrorCode.OverlappingVersions, `two versions of the ${what} of ${owner} are in force at once`, [
        { field: 'effectiveFrom', problem: `overlaps another version of the ${what} of ${owner}` },
      ]);
    }
  }
}

/** The first and last instants a Date holds: every edge lies between them. */
const EARLIEST = new Date(-8.64e15);
const LATEST = new Date(8.64e15);

function invalid(field: string, problem: string): DomainError {
  return DomainError.invalid(BillingErrorCode.InvalidInput, field, problem);
}
