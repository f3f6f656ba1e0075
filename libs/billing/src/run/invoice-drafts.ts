import type { EntityManager } from '@mikro-orm/postgresql';
import type { BillingRun } from '@wholesail/persistence';
import { executeBound, IDS, idList } from './sql';

/**
 * Draft documents, written set-based from the run's rated lines and cut lines (INSERT … SELECT):
 *
 * - a client invoice per client and its reseller, a line per rated line at the client's price;
 * - a wholesale invoice per (seller, buyer) pair of every reseller chain — the operator to each
 *   top-level reseller, each parent reseller to its sub-reseller — a line per rated line at the
 *   buyer's cost (tier n of the line);
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
 * the lines of a draft name it without looking the document up, so a page's lines are one pass over
 * its rated lines at any number of drafts. Shaped as a version-4 UUID (the API reads ids as UUIDs).
 */
export function draftId(run: string, round: string, kind: string, issuer: string, recipient: string): string {
  return `overlay(overlay(md5(concat_ws(':', ${run}, ${round}, ${kind}, ${issuer}, ${recipient})) placing '4' from 13) placing '8' from 17)::uuid`;
}

const DOCUMENT_COLUMNS = `(id, run_id, round, period, dry_run, kind, status, series, issuer_id, recipient_id, issuer_snapshot, recipient_snapshot, currency, deliver_to, agreements, created_at, updated_at)`;

/** The stretch of a usage line in its sort key, so lines read in time order. */
const USAGE_ORDER = `to_char(l.from_at at time zone 'UTC', 'YYYYMMDDHH24MISS')`;

/**
 * Client and wholesale invoices (headers once, a line per rated line and per tier) for a slice of a
 * page's clients (all of each one's lines), in ONE statement (data-modifying CTEs: the foreign keys
 * are checked at its end, when the headers are in), so the database drafts while the caller rates
 * the next slice. `l` is the slice's rated lines; `t` their tiers, one row per (line, tier n ≥ 1)
 * with the seller of tier n (the operator for tier 1, else the buyer of tier n − 1). Returns the
 * lines written.
 */
export async function draftInvoiceLines(
  tx: EntityManager,
  run: BillingRun,
  round: number,
  page: number,
  clientIds: readonly string[],
  operatorId: string,
): Promise<number> {
  if (clientIds.length === 0) return 0;
  const { rows } = await executeBound(
    tx,
    `with l as (
       select * from billing_rated_line where run_id = ? and round = ? and scenario = 'current' and page = ? and client_id in ${IDS}
     ), t as (
       select l.*, x.tier, x.n, case when x.n = 1 then ?::uuid else (l.tiers -> (x.n::int - 2) ->> 'resellerId')::uuid end as seller_id,
              (x.tier ->> 'resellerId')::uuid as buyer_id
         from l cross join lateral jsonb_array_elements(l.tiers) with ordinality as x(tier, n)
     ), client_documents as (
       insert into billing_document ${DOCUMENT_COLUMNS}
       select ${draftId('r.run_id', 'r.round', `'client-invoice'`, 'r.reseller_id', 'r.client_id')}, r.run_id, r.round, ?, ?, 'client-invoice', 'draft', 'invoice', r.reseller_id, r.client_id,
              ${snapshot('i')}, ${snapshot('c')}, ?, c.billing_email, '[]', now(), now()
         from (select distinct run_id, round, reseller_id, client_id from l) r
         join party i on i.id = r.reseller_id join party c on c.id = r.client_id
       on conflict do nothing
     ), wholesale_documents as (
       insert into billing_document ${DOCUMENT_COLUMNS}
       select ${draftId('p.run_id', 'p.round', `'wholesale-invoice'`, 'p.seller_id', 'p.buyer_id')}, p.run_id, p.round, ?, ?, 'wholesale-invoice', 'draft', 'invoice', p.seller_id, p.buyer_id,
              ${snapshot('s')}, ${snapshot('b')}, ?, b.billing_email, '[]', now(), now()
         from (select distinct run_id, round, seller_id, buyer_id from t) p join party s on s.id = p.seller_id join party b on b.id = p.buyer_id
       on conflict do nothing
     ), client_lines as (
       insert into billing_document_line (document_id, kind, sort_key, description, client_id, client_name, reseller_id, reseller_name, sku, unit, usage_period, from_at, to_at, quantity, prorated_quantity, unit_price, amount, source_ref)
       select ${draftId('l.run_id', 'l.round', `'client-invoice'`, 'l.reseller_id', 'l.client_id')}, case when l.late then 'late-usage' else 'usage' end, concat_ws('|', l.sku, ${USAGE_ORDER}, l.id),
              coalesce(ci.name, l.sku) || case when l.late then ' (late usage of ' || l.usage_period || ')' else '' end,
              l.client_id, c.name, l.reseller_id, r.name, l.sku, ci.unit, l.usage_period, l.from_at, l.to_at, l.quantity, l.prorated_quantity, l.client_unit_price, l.client_amount, l.id
         from l
         join party c on c.id = l.client_id
         join party r on r.id = l.reseller_id
         left join catalog_item ci on ci.sku = l.sku
       returning 1
     ), wholesale_lines as (
       insert into billing_document_line (document_id, kind, sort_key, description, client_id, client_name, reseller_id, reseller_name, sku, unit, usage_period, from_at, to_at, quantity, prorated_quantity, unit_price, amount, source_ref, source_tier)
       select ${draftId('t.run_id', 't.round', `'wholesale-invoice'`, 't.seller_id', 't.buyer_id')}, case when t.late then 'late-usage' else 'usage' end,
              concat_ws('|', c.name, t.client_id, t.sku, to_char(t.from_at at time zone 'UTC', 'YYYYMMDDHH24MISS'), t.id),
              c.name || ': ' || coalesce(ci.name, t.sku) || case when t.late then ' (late usage of ' || t.usage_period || ')' else '' end,
              t.client_id, c.name, t.reseller_id, r.name, t.sku, ci.unit, t.usage_period, t.from_at, t.to_at, t.quantity, t.prorated_quantity,
              (t.tier ->> 'unitCost')::numeric, (t.tier ->> 'costAmount')::numeric, t.id, t.n::int - 1
         from t
         join party c on c.id = t.client_id
         join party r on r.id = t.reseller_id
         left join catalog_item ci on ci.sku = t.sku
       returning 1
     )
     select (select count(*) from client_lines) + (select count(*) from wholesale_lines) as count`,
    [run.id, round, page, idList(clientIds), operatorId, run.period, run.mode !== 'run', run.currency, run.period, run.mode !== 'run', run.currency],
  );
  return Number((rows as Array<{ count: string }>)[0].count);
}

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
              where dd.run_id = ? and dd.round = ? group by l.document_id) s
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
