import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { BillingAgreementRef, BillingDocument, BillingDocumentLine } from '@wholesail/contracts';
import { DomainError, BillingRunErrorCode, Money, priceVisibility, type Caller, type UsageOrigin } from '@wholesail/domain';
import { plainDecimal } from '@wholesail/persistence';
import { toDocument, type DocumentRow } from './billing-document-reader.service';
import type { StoredTier } from '../run/rated-lines';

/** Rated lines listed in one explanation at most (the counts and sums always cover all of them). */
const MAX_RATED_LINES = 500;

export interface UsageEventView {
  transactionId: string;
  kind: string;
  quantity: string | null;
  occurredAt: string;
  receivedAt: string;
  source: string;
  /** The run whose freeze took it; later than the usage's period for late usage. */
  freezePeriod: string | null;
}

export interface ImportedLineView {
  transactionId: string;
  importId: string;
  lineNumber: number;
  quantity: string;
  period: string;
  description: string | null;
}

/** One rated line behind an amount: the usage, and the prices the viewer may see. */
export interface RatedLineView {
  ratedLineId: string;
  clientId: string;
  sku: string;
  usagePeriod: string;
  late: boolean;
  from: string;
  to: string;
  seconds: string;
  secondsInPeriod: string;
  quantity: string;
  proratedQuantity: string;
  origin: UsageOrigin;
  events: UsageEventView[];
  importedLine: ImportedLineView | null;
  /** Operator, distributors and agents: the wholesale price (and its version) and amount. */
  wholesale: { unitPrice: string; priceVersionId: string | null; amount: string } | null;
  /** The tiers the viewer may see: its own and those below it (resellers), all (operator), none (others). */
  tiers: Array<{
    depth: number;
    resellerId: string;
    resellerName: string | null;
    unitCost: string;
    unitPrice: string;
    ruleSource: string;
    priceVersionId: string | null;
    costAmount: string;
    saleAmount: string;
    margin: string;
  }>;
  /** The client's price and amount (operator, the client's resellers, the client). */
  client: { unitPrice: string; amount: string } | null;
  /** Operator only: who earned on the line. */
  attribution: {
    distributorId: string | null;
    distributorAgreementId: string | null;
    agentId: string | null;
    agentAgreementId: string | null;
    agentEligible: boolean;
  } | null;
}

/** A cut behind a payout line, per client: the basis it was a share of, the rate, the amount. */
export interface CutView {
  cutLineId: string;
  kind: 'commission' | 'fee' | 'agent';
  clientId: string;
  clientName: string | null;
  agreementId: string;
  basis: string | null;
  /** Distributors: the month's volume the tiers looked at; the rate as an exact fraction. */
  volume: string | null;
  rate: string | null;
  rateFraction: { numerator: string; denominator: string } | null;
  feePerActiveClient: string | null;
  seconds: string | null;
  secondsInPeriod: string | null;
  amount: string;
  fundedBy: string | null;
  carvedFrom: string | null;
  carvedOut: string | null;
  operatorFunded: string | null;
  /** The client's wholesale usage behind the basis. */
  ratedLines: RatedLineView[];
}

export interface LineExplanation {
  document: Pick<BillingDocument, 'id' | 'kind' | 'status' | 'number' | 'period' | 'currency' | 'runId'>;
  line: BillingDocumentLine;
  /** Usage lines: the rated line(s) billed. */
  usage: RatedLineView[];
  /** Payout lines: the cuts added up, per client. */
  cuts: CutView[];
  /** The agreement version(s) the amount was computed under. */
  agreements: BillingAgreementRef[];
  /** More rated lines exist than are listed (the sums above cover them all). */
  truncated: boolean;
  /**
   * Usage lines, operator only: the rest of the margin waterfall. Distributors' and agents' cuts
   * are computed per client and month (volume tiers, fees, an agent's window), so they stand
   * beside the line as its client's month: the wholesale they are shares of, each cut, and the
   * operator's net (wholesale − distributor cuts − operator-funded agent cuts).
   */
  clientMonth: ClientMonthView | null;
}

/** The cuts on one client's month of wholesale, and what the operator keeps of it. */
export interface ClientMonthView {
  clientId: string;
  clientName: string | null;
  wholesale: string;
  /** Commission and fee lines of its distributor, its agent's cut, each with who earns it. */
  cuts: Array<Omit<CutView, 'ratedLines'> & { partyId: string; partyName: string | null }>;
  operatorNet: string;
}

/**
 * "Explain this amount": for a line of a billing document, the usage behind it (events, seconds,
 * quantities, imported lines), the prices and rules at every tier, the agreement version and rate
 * — each viewer seeing only what tenancy allows (`priceVisibility` in libs/domain): a client its
 * price, a reseller its own tier and those below, a distributor or an agent the wholesale its cut
 * is a share of (never a reseller's margin), the operator everything.
 */
@Injectable()
export class BillingExplainer {
  constructor(private readonly em: EntityManager) {}

  /** The caller must be allowed to see the document (the API checks it first). */
  async explain(viewer: Caller, document: DocumentRow, lineId: string): Promise<LineExplanation> {
    const em = this.em.fork();
    if (!/^[0-9a-f-]{36}$/i.test(lineId)) throw lineNotFound(lineId);
    const [line]: Array<Record<string, any>> = await em.execute(`select * from billing_document_line where id = ? and document_id = ?`, [lineId, document.id]);
    if (!line) throw lineNotFound(lineId);
    const doc = toDocument(document, [line]);
    const explanation: LineExplanation = {
      document: { id: doc.id, kind: doc.kind, status: doc.status, number: doc.number, period: doc.period, currency: doc.currency, runId: doc.runId },
      line: doc.lines[0],
      usage: [],
      cuts: [],
      agreements: [],
      truncated: false,
      clientMonth: null,
    };
    const scope = { runId: document.run_id, round: document.round, currency: document.currency };
    const source: string = line.source_ref;
    if (line.kind === 'usage' || line.kind === 'late-usage') {
      explanation.usage = await this.ratedLines(em, viewer, scope, `id = ?`, [source]);
      if (viewer.partyKind === 'operator') explanation.clientMonth = await this.clientMonth(em, scope, line.client_id ?? explanation.usage[0]?.clientId);
      return explanation;
    }
    const [kind, partyId, third, agreementId] = source.split(':');
    let where: string;
    let params: unknown[];
    if (kind === 'commission' || kind === 'fee') {
      where = `g.kind = ? and g.party_id = ? and g.top_reseller_id = ? and g.agreement_id = ?`;
      params = [kind, partyId, third, agreementId];
    } else if (kind === 'carve-out') {
      where = `g.kind = 'agent' and g.carved_from = ? and g.party_id = ? and g.agreement_id = ? and g.carved_out <> 0`;
      params = [partyId, third, agreementId];
    } else {
      where = `g.id = ?`;
      params = [source];
    }
    const cuts: Array<Record<string, any>> = await em.execute(
      `select g.*, c.name as client_name from billing_cut_line g join party c on c.id = g.client_id
        where g.run_id = ? and g.round = ? and g.scenario = 'current' and ${where} order by c.name, g.client_id`,
      [scope.runId, scope.round, ...params],
    );
    let budget = MAX_RATED_LINES;
    for (const cut of cuts) {
      const attributed =
        cut.kind === 'agent'
          ? { clause: `client_id = ? and agent_id = ? and agent_agreement_id = ? and agent_eligible`, params: [cut.client_id, cut.party_id, cut.agreement_id] }
          : cut.kind === 'commission'
            ? { clause: `client_id = ? and distributor_id = ? and distributor_agreement_id = ?`, params: [cut.client_id, cut.party_id, cut.agreement_id] }
            : null;
      const listed = attributed && budget > 0 ? await this.ratedLines(em, viewer, scope, attributed.clause, attributed.params, budget + 1) : [];
      if (listed.length > budget || (attributed && budget === 0 && cut.rated_line_count > 0)) explanation.truncated = true;
      const kept = listed.slice(0, budget);
      budget -= kept.length;
      explanation.cuts.push(cutView(cut, kept, scope.currency));
    }
    const agreementIds = new Set([line.agreement_id, ...cuts.map((c) => c.agreement_id)].filter(Boolean));
    explanation.agreements = await this.agreements(em, [...agreementIds]);
    return explanation;
  }

  private async ratedLines(
    em: EntityManager,
    viewer: Caller,
    scope: { runId: string; round: number; currency: string },
    clause: string,
    params: unknown[],
    limit = MAX_RATED_LINES,
  ): Promise<RatedLineView[]> {
    const rows: Array<Record<string, any>> = await em.execute(
      `select * from billing_rated_line where run_id = ? and round = ? and scenario = 'current' and ${clause} order by from_at, id limit ?`,
      [scope.runId, scope.round, ...params, limit],
    );
    if (rows.length === 0) return [];
    const origins = rows.map((r) => r.origin as UsageOrigin);
    const eventIds = origins.flatMap((o) =>
      o.kind === 'resource' ? [o.setBy, ...(o.endedBy ? [o.endedBy] : [])] : o.kind === 'correction' ? o.lateEvents : [],
    );
    const importIds = origins.flatMap((o) => (o.kind === 'import' ? [o.transactionId] : []));
    const resellerIds = [...new Set(rows.flatMap((r) => (r.tiers as StoredTier[]).map((t) => t.resellerId)))];
    const [events, imported, resellers] = await Promise.all([
      eventIds.length
        ? em.execute(
            `select transaction_id, kind, quantity, occurred_at, received_at, source, freeze_period from resource_event
              where transaction_id in (select value from json_array_elements_text(?::json)) order by occurred_at`,
            [JSON.stringify(eventIds)],
          )
        : [],
      importIds.length
        ? em.execute(
            `select transaction_id, usage_import_id, line_number, quantity, period, description from usage_line where transaction_id in (select value from json_array_elements_text(?::json))`,
            [JSON.stringify(importIds)],
          )
        : [],
      em.execute(`select id, name from party where id in (select value::uuid from json_array_elements_text(?::json))`, [JSON.stringify(resellerIds)]),
    ]);
    const eventOf = new Map((events as Array<Record<string, any>>).map((e) => [e.transaction_id as string, e]));
    const importOf = new Map((imported as Array<Record<string, any>>).map((l) => [l.transaction_id as string, l]));
    const nameOf = new Map((resellers as Array<{ id: string; name: string }>).map((r) => [r.id, r.name]));
    const money = (value: string) => Money.of(String(value), scope.currency).toString();
    return rows.map((row) => {
      const tiers = row.tiers as StoredTier[];
      const visible = priceVisibility(
        viewer,
        tiers.map((t) => t.resellerId),
      );
      const origin = row.origin as UsageOrigin;
      const ids = origin.kind === 'resource' ? [origin.setBy, origin.endedBy] : origin.kind === 'correction' ? origin.lateEvents : [];
      const imported = origin.kind === 'import' ? importOf.get(origin.transactionId) : undefined;
      return {
        ratedLineId: row.id,
        clientId: row.client_id,
        sku: row.sku,
        usagePeriod: row.usage_period,
        late: row.late,
        from: new Date(row.from_at).toISOString(),
        to: new Date(row.to_at).toISOString(),
        seconds: String(row.seconds),
        secondsInPeriod: String(row.seconds_in_period),
        quantity: plainDecimal(String(row.quantity)),
        proratedQuantity: String(row.prorated_quantity),
        origin,
        events: ids.flatMap((id) => {
          const e = id ? eventOf.get(id) : undefined;
          return e
            ? [
                {
                  transactionId: e.transaction_id,
                  kind: e.kind,
                  quantity: e.quantity == null ? null : plainDecimal(String(e.quantity)),
                  occurredAt: new Date(e.occurred_at).toISOString(),
                  receivedAt: new Date(e.received_at).toISOString(),
                  source: e.source,
                  freezePeriod: e.freeze_period ?? null,
                },
              ]
            : [];
        }),
        importedLine: imported
          ? {
              transactionId: imported.transaction_id,
              importId: imported.usage_import_id,
              lineNumber: imported.line_number,
              quantity: plainDecimal(String(imported.quantity)),
              period: imported.period,
              description: imported.description ?? null,
            }
          : null,
        wholesale: visible.wholesale
          ? {
              unitPrice: plainDecimal(String(row.wholesale_unit_price)),
              priceVersionId: row.wholesale_price_version_id ?? null,
              amount: money(row.wholesale_amount),
            }
          : null,
        tiers: tiers.slice(visible.fromTier).map((t, i) => ({
          depth: visible.fromTier + i,
          resellerId: t.resellerId,
          resellerName: nameOf.get(t.resellerId) ?? null,
          unitCost: t.unitCost,
          unitPrice: t.unitPrice,
          ruleSource: t.ruleSource,
          priceVersionId: t.priceVersionId,
          costAmount: t.costAmount,
          saleAmount: t.saleAmount,
          margin: t.margin,
        })),
        client: visible.clientPrice ? { unitPrice: plainDecimal(String(row.client_unit_price)), amount: money(row.client_amount) } : null,
        attribution:
          viewer.partyKind === 'operator'
            ? {
                distributorId: row.distributor_id ?? null,
                distributorAgreementId: row.distributor_agreement_id ?? null,
                agentId: row.agent_id ?? null,
                agentAgreementId: row.agent_agreement_id ?? null,
                agentEligible: row.agent_eligible,
              }
            : null,
      };
    });
  }

  private async clientMonth(
    em: EntityManager,
    scope: { runId: string; round: number; currency: string },
    clientId: string | undefined,
  ): Promise<ClientMonthView | null> {
    if (!clientId) return null;
    const [[rated], cuts]: [Array<Record<string, any>>, Array<Record<string, any>>] = await Promise.all([
      em.execute(
        `select coalesce(sum(r.wholesale_amount), 0) as wholesale, (select name from party where id = ?) as client_name
           from billing_rated_line r where r.run_id = ? and r.round = ? and r.scenario = 'current' and r.client_id = ?`,
        [clientId, scope.runId, scope.round, clientId],
      ),
      em.execute(
        `select g.*, p.name as party_name from billing_cut_line g join party p on p.id = g.party_id
          where g.run_id = ? and g.round = ? and g.scenario = 'current' and g.client_id = ?
          order by case g.kind when 'commission' then 0 when 'fee' then 1 else 2 end, p.name, g.id`,
        [scope.runId, scope.round, clientId],
      ),
    ]);
    const zero = Money.zero(scope.currency);
    const wholesale = Money.of(String(rated.wholesale), scope.currency);
    // Carved-out agent cuts are inside the distributor's commission: only operator-funded ones come off the operator's net.
    const taken = cuts.map((c) =>
      c.kind === 'agent'
        ? c.operator_funded == null
          ? zero
          : Money.of(String(c.operator_funded), scope.currency)
        : Money.of(String(c.amount), scope.currency),
    );
    return {
      clientId,
      clientName: rated.client_name ?? null,
      wholesale: wholesale.toString(),
      cuts: cuts.map((c) => {
        const { ratedLines: _ratedLines, ...view } = cutView(c, [], scope.currency);
        return { ...view, partyId: c.party_id, partyName: c.party_name ?? null };
      }),
      operatorNet: taken.reduce((net, cut) => net.sub(cut), wholesale).toString(),
    };
  }

  private async agreements(em: EntityManager, ids: string[]): Promise<BillingAgreementRef[]> {
    if (!ids.length) return [];
    const rows: Array<Record<string, any>> = await em.execute(
      `select a.*, p.kind as party_kind from commission_agreement a join party p on p.id = a.party_id
        where a.id in (select value::uuid from json_array_elements_text(?::json)) order by a.effective_from`,
      [JSON.stringify(ids)],
    );
    return rows.map((a) => ({
      id: a.id,
      partyId: a.party_id,
      partyKind: a.party_kind,
      rate: plainDecimal(String(a.rate)),
      feePerActiveClient: a.fee_per_active_client == null ? null : plainDecimal(String(a.fee_per_active_client)),
      volumeTiers: a.volume_tiers ?? null,
      firstMonths: a.first_months ?? null,
      fundedBy: a.funded_by ?? null,
      effectiveFrom: new Date(a.effective_from).toISOString(),
      effectiveTo: a.effective_to ? new Date(a.effective_to).toISOString() : null,
    }));
  }
}

function cutView(cut: Record<string, any>, ratedLines: RatedLineView[], currency: string): CutView {
  const money = (value: unknown) => (value == null ? null : Money.of(String(value), currency).toString());
  const decimal = (value: unknown) => (value == null ? null : plainDecimal(String(value)));
  return {
    cutLineId: cut.id,
    kind: cut.kind,
    clientId: cut.client_id,
    clientName: cut.client_name ?? null,
    agreementId: cut.agreement_id,
    basis: money(cut.basis),
    volume: money(cut.volume),
    rate: decimal(cut.rate),
    rateFraction: cut.rate_numerator ? { numerator: cut.rate_numerator, denominator: cut.rate_denominator } : null,
    feePerActiveClient: decimal(cut.fee_per_active_client),
    seconds: cut.seconds == null ? null : String(cut.seconds),
    secondsInPeriod: cut.seconds_in_period == null ? null : String(cut.seconds_in_period),
    amount: money(cut.amount)!,
    fundedBy: cut.funded_by ?? null,
    carvedFrom: cut.carved_from ?? null,
    carvedOut: money(cut.carved_out),
    operatorFunded: money(cut.operator_funded),
    ratedLines,
  };
}

function lineNotFound(id: string): DomainError {
  return DomainError.notFound(BillingRunErrorCode.DocumentNotFound, `line ${id} is not a line of this document`);
}
