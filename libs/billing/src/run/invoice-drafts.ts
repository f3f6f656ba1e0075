import type { EntityManager } from '@mikro-orm/postgresql';
import type { BillingRun } from '@wholesail/persistence';
import { Money, type RatedLine } from '@wholesail/domain';
import { createHash, randomBytes } from 'node:crypto';
import type { RatedLineText } from './rated-lines';
import { COPY_NULL, CopyData, copyLines, copyText, executeBound, type Columns } from './sql';

/**
 * Draft documents:
 *
 * - a client invoice per client and its reseller, a line per rated line at the client's price;
 * - a wholesale invoice per (seller, buyer) pair of every reseller chain — the operator to each
 *   top-level reseller, each parent reseller to its sub-reseller — a line per rated line at the
 *   buyer's cost (tier n of the line);
 *
 * their lines built in this process as the lines are rated and written by COPY (`InvoiceLines`),
 * and, set-based from the run's cut lines (INSERT … SELECT),
 *
 * - a payout invoice per distributor (commission and fee lines per reseller and agreement version
 *   with their client counts, a carve-out line per agent) and per agent (a line per client and
 *   agreement version), to the operator.
 *
 * Issuer and recipient are snapshots of their parties as drafted (a final document keeps them).
 */

/** The JSON snapshot of a party (libs/contracts `BillingPartyRef`). */
function snapshot(alias: string): string {
  return `jsonb_build_object('id', ${alias}.id, 'kind', ${alias}.kind::text, 'name', ${alias}.name, 'code', ${alias}.code, 'billingEmail', ${alias}.billing_email, 'taxId', ${alias}.tax_id, 'branding', ${alias}.branding)`;
}

/** An ISO 8601 instant in UTC, as JSON carries it. */
function iso(expression: string): string {
  return `to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * A draft's id, derived from its key (run, round, kind, issuer, recipient: the draft-unique index):
 * the lines of a draft name it without looking the document up (payouts' here; client and wholesale
 * invoice lines get the same id from `draftIdOf` in the worker). Shaped as a version-4 UUID (the API
 * reads ids as UUIDs).
 */
export function draftId(run: string, round: string, kind: string, issuer: string, recipient: string): string {
  return `overlay(overlay(md5(concat_ws(':', ${run}, ${round}, ${kind}, ${issuer}, ${recipient})) placing '4' from 13) placing '8' from 17)::uuid`;
}

const DOCUMENT_COLUMNS = `(id, run_id, round, period, dry_run, kind, status, series, issuer_id, recipient_id, issuer_snapshot, recipient_snapshot, currency, deliver_to, agreements, created_at, updated_at)`;
const DOCUMENT_COLUMNS_WITH_TOTALS = DOCUMENT_COLUMNS.replace('created_at', 'line_count, gross, deductions, total, created_at');

/** The draft-unique index (run, round, kind, issuer, recipient, corrected document) as ON CONFLICT names it. */
const DRAFT_KEY = `(run_id, round, kind, issuer_id, recipient_id, coalesce(corrects_document_id, '00000000-0000-0000-0000-000000000000'::uuid))`;

/** `draftId` worked out here, for the drafts whose lines this process writes (the same id, see its spec). */
export function draftIdOf(run: string, round: number, kind: string, issuer: string, recipient: string): string {
  const h = createHash('md5').update(`${run}:${round}:${kind}:${issuer}:${recipient}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The columns of `billing_document_line` a client or wholesale invoice line fills, in the order `InvoiceLines` writes them. */
const INVOICE_LINE_COLUMNS = {
  id: 'uuid',
  document_id: 'uuid',
  kind: 'varchar(20)',
  sort_key: 'text',
  description: 'text',
  client_id: 'uuid',
  client_name: 'varchar(200)',
  reseller_id: 'uuid',
  reseller_name: 'varchar(200)',
  sku: 'varchar(64)',
  unit: 'varchar(40)',
  usage_period: 'varchar(7)',
  from_at: 'timestamptz',
  to_at: 'timestamptz',
  quantity: 'numeric',
  prorated_quantity: 'numeric',
  unit_price: 'numeric',
  amount: 'numeric',
  source_ref: 'text',
  source_tier: 'int',
} as const satisfies Columns;

/** What a page's clients' invoice lines name besides their rated lines: the parties' names and the items. */
export interface InvoiceLineNames {
  client(clientId: string): { name: string; resellerName: string };
  item(sku: string): { name: string; unit: string } | undefined;
}

/**
 * The client and wholesale invoice lines of a slice of a page's clients (all of each one's rated
 * lines), built here from the rated lines as they are rated and written with COPY; their drafts'
 * headers first, in one statement (`draftInvoiceLines`). A rated line gives
 *
 * - a line on its client's invoice (its reseller → the client) at the client's price;
 * - a line per tier n on a wholesale invoice of the reseller chain — the operator to the top-level
 *   reseller (n = 0), each parent reseller to its sub-reseller — at the buyer's cost (`source_tier`).
 *
 * A draft's id is derived from its key (`draftIdOf`), so a line names its draft without looking it
 * up. A line's id is shaped as a version-4 UUID: its first 48 bits the instant the slice was
 * drafted in milliseconds (a slice's lines append to the right of the primary key's index instead
 * of landing on random leaf pages of it: UUIDv7's layout), then 46 random bits drawn once per slice,
 * then a count of the slice's lines (28 bits).
 *
 * Text is escaped for COPY once per client (its name and reseller's) and once per item, not once
 * per line: escaping works character by character, so the escaped parts joined are the whole
 * escaped.
 */
export class InvoiceLines {
  /** The lines in COPY's text format, in the order of INVOICE_LINE_COLUMNS. */
  readonly lines = new CopyData();
  private readonly clientInvoices = new Map<string, { document_id: string; reseller_id: string; client_id: string; lines: number; gross: Money }>();
  private readonly wholesaleInvoices = new Map<string, { document_id: string; seller_id: string; buyer_id: string }>();
  private readonly idPrefix: string;
  private lineCount = 0;
  /** The last client's names, escaped (a slice's lines come client by client). */
  private client: { id: string; name: string; resellerName: string } | undefined;
  /** Per item (and period, for late usage): its sku, unit and line description, escaped. */
  private readonly items = new Map<string, { sku: string; unit: string; description: string }>();

  constructor(
    private readonly runId: string,
    private readonly round: number,
    private readonly operatorId: string,
    private readonly names: InvoiceLineNames,
  ) {
    const hex = Date.now().toString(16).padStart(12, '0');
    const random = randomBytes(6).toString('hex');
    const variant = (8 | (parseInt(random[3], 16) & 3)).toString(16);
    this.idPrefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-${random.slice(7, 12)}`;
  }

  /** A rated line of the current terms, with what its own row prints of it. */
  add(line: RatedLine, text: RatedLineText): void {
    const { resellerId, from } = text;
    const client = this.escapedClient(line.clientId);
    const item = this.escapedItem(line);
    const kind = line.late ? 'late-usage' : 'usage';
    // The start as YYYYMMDDHHMMSS (UTC): lines sort by it within an item.
    const usageOrder = `${from.slice(0, 4)}${from.slice(5, 7)}${from.slice(8, 10)}${from.slice(11, 13)}${from.slice(14, 16)}${from.slice(17, 19)}`;

    const invoiceKey = `${resellerId}:${line.clientId}`;
    let invoice = this.clientInvoices.get(invoiceKey);
    if (!invoice) {
      invoice = {
        document_id: draftIdOf(this.runId, this.round, 'client-invoice', resellerId, line.clientId),
        reseller_id: resellerId,
        client_id: line.clientId,
        lines: 0,
        gross: Money.zero(line.clientAmount.currency),
      };
      this.clientInvoices.set(invoiceKey, invoice);
    }
    invoice.lines += 1;
    invoice.gross = invoice.gross.add(line.clientAmount);

    // client_id … prorated_quantity, and source_ref: the same on the client line and the wholesale lines.
    const usage = `${line.clientId}\t${client.name}\t${resellerId}\t${client.resellerName}\t${item.sku}\t${item.unit}\t${line.usagePeriod}\t${from}\t${text.to}\t${text.quantity}\t${text.proratedQuantity}`;
    const ratedLineId = copyText(line.id);
    this.lines.push(
      `${this.lineId()}\t${invoice.document_id}\t${kind}\t${item.sku}|${usageOrder}|${ratedLineId}\t${item.description}\t${usage}\t${text.clientUnitPrice}\t${text.clientAmount}\t${ratedLineId}\t${COPY_NULL}`,
    );

    const sortKey = `${client.name}|${line.clientId}|${item.sku}|${usageOrder}|${ratedLineId}`;
    const wholesaleDescription = `${client.name}: ${item.description}`;
    for (let n = 0; n < text.tiers.length; n++) {
      const seller = n === 0 ? this.operatorId : text.tiers[n - 1].resellerId;
      const buyer = text.tiers[n].resellerId;
      const key = `${seller}:${buyer}`;
      let wholesale = this.wholesaleInvoices.get(key);
      if (!wholesale) {
        wholesale = { document_id: draftIdOf(this.runId, this.round, 'wholesale-invoice', seller, buyer), seller_id: seller, buyer_id: buyer };
        this.wholesaleInvoices.set(key, wholesale);
      }
      const tier = text.tiers[n];
      this.lines.push(
        `${this.lineId()}\t${wholesale.document_id}\t${kind}\t${sortKey}\t${wholesaleDescription}\t${usage}\t${tier.unitCost}\t${tier.costAmount}\t${ratedLineId}\t${n}`,
      );
    }
  }

  /**
   * The client invoices' keys and totals (all of a client's lines are in the slice), and the
   * wholesale invoices the lines go on but those known to be drafted already (`drafted`: ids).
   */
  headers(drafted: ReadonlySet<string> = new Set()): { clientInvoices: Array<Record<string, unknown>>; wholesaleInvoices: Array<Record<string, unknown>> } {
    return {
      clientInvoices: [...this.clientInvoices.values()].map((c) => ({ ...c, gross: c.gross.toString() })),
      wholesaleInvoices: [...this.wholesaleInvoices.values()].filter((w) => !drafted.has(w.document_id)),
    };
  }

  /** The ids of the wholesale invoices the lines go on. */
  wholesaleDocumentIds(): string[] {
    return [...this.wholesaleInvoices.values()].map((w) => w.document_id);
  }

  private lineId(): string {
    return `${this.idPrefix}${(this.lineCount++).toString(16).padStart(7, '0')}`;
  }

  private escapedClient(clientId: string): { name: string; resellerName: string } {
    if (this.client?.id !== clientId) {
      const { name, resellerName } = this.names.client(clientId);
      this.client = { id: clientId, name: copyText(name), resellerName: copyText(resellerName) };
    }
    return this.client;
  }

  private escapedItem(line: RatedLine): { sku: string; unit: string; description: string } {
    const key = line.late ? `${line.sku}\n${line.usagePeriod}` : line.sku;
    let escaped = this.items.get(key);
    if (!escaped) {
      const item = this.names.item(line.sku);
      const description = `${item?.name ?? line.sku}${line.late ? ` (late usage of ${line.usagePeriod})` : ''}`;
      escaped = { sku: copyText(line.sku), unit: item ? copyText(item.unit) : COPY_NULL, description: copyText(description) };
      this.items.set(key, escaped);
    }
    return escaped;
  }
}

/**
 * Drafts a slice's invoice lines (`InvoiceLines`): the headers of their client invoices (with their
 * totals: written again when a retried page, its lines deleted first and the header kept, drafts
 * it again) and wholesale invoices (their totals wait for `draftPayouts`: their lines span slices
 * and pages; inserted in the order of their ids, so that slices drafted at once, each in its own
 * transaction, wait for one another rather than deadlock on one), parties snapshotted as drafted,
 * in one statement; then the lines, by COPY. Returns the lines written. The wholesale invoices in
 * `drafted` (ids) are known to be committed: their headers are left out (a page's slices go on the
 * same few thousand wholesale invoices, whose headers would each be built again to be skipped).
 */
export async function draftInvoiceLines(tx: EntityManager, run: BillingRun, round: number, slice: InvoiceLines, drafted: ReadonlySet<string>): Promise<number> {
  if (slice.lines.rows === 0) return 0;
  const { clientInvoices, wholesaleInvoices } = slice.headers(drafted);
  await executeBound(
    tx,
    `with c as (
       select * from json_to_recordset(?::json) as x(document_id uuid, reseller_id uuid, client_id uuid, lines int, gross numeric)
     ), w as (
       select * from json_to_recordset(?::json) as x(document_id uuid, seller_id uuid, buyer_id uuid)
     ), p as materialized (
       select id, kind, name, code, billing_email, tax_id, branding from party
        where id = any(array(select client_id from c union select reseller_id from c union select seller_id from w union select buyer_id from w))
     ), client_documents as (
       insert into billing_document ${DOCUMENT_COLUMNS_WITH_TOTALS}
       select c.document_id, ?, ?, ?, ?, 'client-invoice', 'draft', 'invoice', c.reseller_id, c.client_id,
              ${snapshot('i')}, ${snapshot('r')}, ?, r.billing_email, '[]', c.lines, c.gross, 0, c.gross, now(), now()
         from c join p i on i.id = c.reseller_id join p r on r.id = c.client_id
       on conflict ${DRAFT_KEY} do update set line_count = excluded.line_count, gross = excluded.gross, deductions = excluded.deductions, total = excluded.total, updated_at = excluded.updated_at
        where billing_document.status = 'draft'
       returning 1
     ), wholesale_documents as (
       insert into billing_document ${DOCUMENT_COLUMNS}
       select w.document_id, ?, ?, ?, ?, 'wholesale-invoice', 'draft', 'invoice', w.seller_id, w.buyer_id,
              ${snapshot('s')}, ${snapshot('b')}, ?, b.billing_email, '[]', now(), now()
         from w join p s on s.id = w.seller_id join p b on b.id = w.buyer_id
        order by w.document_id
       on conflict do nothing
       returning 1
     )
     select (select count(*) from client_documents) + (select count(*) from wholesale_documents) as count`,
    [
      JSON.stringify(clientInvoices),
      JSON.stringify(wholesaleInvoices),
      ...[run.id, round, run.period, run.mode !== 'run', run.currency],
      ...[run.id, round, run.period, run.mode !== 'run', run.currency],
    ],
  );
  return copyLines(tx, 'billing_document_line', INVOICE_LINE_COLUMNS, slice.lines);
}

/**
 * Analyzes `billing_document` when it has outgrown its statistics (twice the pages they counted, and
 * a few more) while they count fewer than STATISTICS_ENOUGH pages. The documents a statement's lines
 * name are checked and locked by a query in a trigger (their reference, see
 * Migration20261201020000_document_line_reference) that each connection plans once and keeps until
 * the table's statistics change: planned while the table was nearly empty (the first run of an
 * installation, or its first minute, before autovacuum's first analyze) it scans the whole table
 * for every statement (as a per-row foreign key's check did for every line, which in a bench at
 * 5,000 clients made drafting ten times slower). New statistics make every connection plan it
 * again (index lookups); growth by doubling keeps this to a few ANALYZEs. Past a few dozen pages
 * index lookups are the plan whatever the table's size, so a table counted that large is left to autovacuum (a run of
 * 100k clients would otherwise analyze it ten times, the last ones reading thousands of pages). Run
 * before a slice's transaction, on a connection of its own: a transaction started after it plans
 * with the new statistics (one under way would only at its next).
 */
export async function keepDocumentStatisticsCurrent(tx: EntityManager): Promise<void> {
  const [table]: Array<{ counted: number; pages: string }> = await tx.execute(
    `select relpages as counted, pg_relation_size(oid) / current_setting('block_size')::int as pages from pg_class where oid = 'billing_document'::regclass`,
  );
  if (table.counted < STATISTICS_ENOUGH && Number(table.pages) > 2 * table.counted + 8) await tx.execute(`analyze billing_document`);
}

/** Pages of `billing_document` its statistics must count for the lines' reference check to be index lookups for good. */
export const STATISTICS_ENOUGH = 64;

/** The lines a page's earlier attempt drafted on the round's client and wholesale invoices: its clients' (a range of ids). */
export async function removeInvoiceLines(tx: EntityManager, runId: string, round: number, firstClientId: string, lastClientId: string): Promise<void> {
  await tx.execute(
    `delete from billing_document_line l using billing_document d
      where l.document_id = d.id and d.run_id = ? and d.round = ? and d.kind in ('client-invoice', 'wholesale-invoice') and d.status = 'draft'
        and l.client_id between ?::uuid and ?::uuid`,
    [runId, round, firstClientId, lastClientId],
    'run',
  );
}

/**
 * Payout invoices of the round (distributors' and agents'), then every draft's totals: gross = Σ
 * lines but carve-outs, deductions = Σ carve-outs (positive), total = gross − deductions. Returns
 * the number of documents of the round. Idempotent: the round's payouts are replaced.
 */
export async function draftPayouts(tx: EntityManager, run: BillingRun, round: number, financeEmail: string | null): Promise<number> {
  const operatorId = await operatorPartyId(tx);
  const key = [run.id, round];
  await tx.execute(`delete from billing_document where run_id = ? and round = ? and kind = 'payout-invoice' and status = 'draft'`, key, 'run');

  const agreements = (kinds: string) =>
    `(select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'partyId', a.party_id, 'partyKind', ap.kind::text, 'rate', trim_scale(a.rate)::text,
              'feePerActiveClient', trim_scale(a.fee_per_active_client)::text, 'volumeTiers', a.volume_tiers, 'firstMonths', a.first_months,
              'fundedBy', a.funded_by::text, 'effectiveFrom', ${iso('a.effective_from')}, 'effectiveTo', ${iso('a.effective_to')}) order by a.effective_from), '[]'::jsonb)
        from commission_agreement a join party ap on ap.id = a.party_id
       where a.id in (select agreement_id from billing_cut_line where run_id = x.run_id and round = x.round and scenario = 'current' and party_id = x.party_id and kind in (${kinds})))`;
  await tx.execute(
    `insert into billing_document ${DOCUMENT_COLUMNS}
     select ${draftId('x.run_id', 'x.round', `'payout-invoice'`, 'x.party_id', 'o.id')}, x.run_id, x.round, ?, ?, 'payout-invoice', 'draft', 'payout', x.party_id, o.id, ${snapshot('p')}, ${snapshot('o')}, ?, coalesce(?, o.billing_email),
            case when p.kind = 'agent' then ${agreements(`'agent'`)} else ${agreements(`'commission', 'fee'`)} end, now(), now()
       from (select distinct run_id, round, party_id from billing_cut_line where run_id = ? and round = ? and scenario = 'current') x
       join party p on p.id = x.party_id
       join party o on o.id = ?`,
    [run.period, run.mode !== 'run', run.currency, financeEmail, ...key, operatorId],
    'run',
  );

  // A payout's lines find it by its derived id (the operator is its recipient): a primary-key lookup.
  const payout = `join billing_document d on d.id = ${draftId('g.run_id', 'g.round', `'payout-invoice'`, 'g.party_id', '?::uuid')}`;
  // Distributors: commission and fee per reseller (the top-level one it recruited) and agreement version.
  await tx.execute(
    `insert into billing_document_line (document_id, kind, sort_key, description, reseller_id, reseller_name, client_count, basis, rate, unit_price, agreement_id, amount, source_ref)
     select d.id, g.kind, concat_ws('|', r.name, g.top_reseller_id, g.kind, g.agreement_id),
            case when g.kind = 'commission' then 'Commission on the clients of ' || r.name else 'Fee per active client of ' || r.name end,
            g.top_reseller_id, r.name, g.clients, g.basis, g.rate, g.fee, g.agreement_id, g.amount,
            g.kind || ':' || g.party_id || ':' || g.top_reseller_id || ':' || g.agreement_id
       from (select run_id, round, party_id, kind, top_reseller_id, agreement_id, count(distinct client_id)::int as clients, sum(basis) as basis, max(rate) as rate,
                    max(fee_per_active_client) as fee, sum(amount) as amount
               from billing_cut_line where run_id = ? and round = ? and scenario = 'current' and kind in ('commission', 'fee')
              group by run_id, round, party_id, kind, top_reseller_id, agreement_id) g
       ${payout}
       join party r on r.id = g.top_reseller_id`,
    [...key, operatorId],
    'run',
  );
  // Distributors: each agent's cut carved out of theirs, as a deduction.
  await tx.execute(
    `insert into billing_document_line (document_id, kind, sort_key, description, agent_id, agent_name, client_count, basis, rate, agreement_id, amount, source_ref)
     select d.id, 'carve-out', concat_ws('|', '~', a.name, g.agent_id, g.agreement_id), 'Carved out for agent ' || a.name,
            g.agent_id, a.name, g.clients, g.basis, g.rate, g.agreement_id, -g.carved, 'carve-out:' || g.party_id || ':' || g.agent_id || ':' || g.agreement_id
       from (select run_id, round, carved_from as party_id, party_id as agent_id, agreement_id, count(distinct client_id)::int as clients, sum(basis) as basis,
                    max(rate) as rate, sum(carved_out) as carved
               from billing_cut_line where run_id = ? and round = ? and scenario = 'current' and kind = 'agent' and carved_from is not null and carved_out <> 0
              group by run_id, round, carved_from, party_id, agreement_id) g
       ${payout}
       join party a on a.id = g.agent_id`,
    [...key, operatorId],
    'run',
  );
  // Agents: a line per client and agreement version.
  await tx.execute(
    `insert into billing_document_line (document_id, kind, sort_key, description, client_id, client_name, reseller_id, reseller_name, basis, rate, agreement_id, amount, source_ref)
     select d.id, 'agent-commission', concat_ws('|', c.name, g.client_id, g.agreement_id), 'Commission on ' || c.name,
            g.client_id, c.name, r.id, r.name, g.basis, g.rate, g.agreement_id, g.amount, g.id
       from billing_cut_line g
       ${payout}
       join party c on c.id = g.client_id
       join party r on r.id = c.parent_id
      where g.run_id = ? and g.round = ? and g.scenario = 'current' and g.kind = 'agent'`,
    [operatorId, ...key],
    'run',
  );

  await tx.execute(
    `update billing_document d set line_count = s.lines, gross = s.gross, deductions = s.deductions, total = s.gross - s.deductions, updated_at = now()
       from (select l.document_id, count(*)::int as lines,
                    coalesce(sum(l.amount) filter (where l.kind <> 'carve-out'), 0) as gross,
                    coalesce(-sum(l.amount) filter (where l.kind = 'carve-out'), 0) as deductions
               from billing_document_line l join billing_document dd on dd.id = l.document_id
              where dd.run_id = ? and dd.round = ? and dd.kind <> 'client-invoice' group by l.document_id) s
      where d.id = s.document_id`,
    key,
    'run',
  );
  const [{ count }]: Array<{ count: string }> = await tx.execute(`select count(*) as count from billing_document where run_id = ? and round = ?`, key);
  return Number(count);
}

export async function operatorPartyId(em: EntityManager): Promise<string> {
  const [row]: Array<{ id: string }> = await em.execute(`select id from party where kind = 'operator' order by created_at limit 1`);
  if (!row) throw new Error('there is no operator party');
  return row.id;
}
