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
const DOCUMENT_COLUMNS_WITH_TOTALS = DOCUMENT_COLUMNS.replace('created_at', 'line_count, gross, deductions, total, created_at');

/**
 * A draft line's id: random as the column's default (gen_random_uuid(), a version-4 UUID) but for its
 * first 48 bits, the statement's instant in milliseconds, so a statement's lines append to the right
 * of the primary key's index instead of landing on random leaf pages of it (UUIDv7's layout). The
 * instant is worked out once per statement (an uncorrelated subquery is evaluated once) and written
 * over the first 12 hex digits of each row's random UUID in one step.
 */
const LINE_ID_PREFIX = `(select overlay(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') placing '-' from 9 for 0))`;
const LINE_ID = `overlay(gen_random_uuid()::text placing ${LINE_ID_PREFIX} from 1 for 13)::uuid`;

/** The draft-unique index (run, round, kind, issuer, recipient, corrected document) as ON CONFLICT names it. */
const DRAFT_KEY = `(run_id, round, kind, issuer_id, recipient_id, coalesce(corrects_document_id, '00000000-0000-0000-0000-000000000000'::uuid))`;

/**
 * Client and wholesale invoices (headers once, a line per rated line and per tier) for a slice of a
 * page's clients (all of each one's lines), in ONE statement (data-modifying CTEs: the foreign keys
 * are checked at its end, when the headers are in), so the database drafts while the caller rates
 * the next slice. `l` is the slice's rated lines, read once; `t` their tiers, one row per (line,
 * tier n ≥ 1) with the seller of tier n (the operator for tier 1, else the buyer of tier n − 1).
 *
 * Shaped for the slice's clients, not its lines: the parties are read once (`p`, by primary key), a
 * client invoice's id, totals and names once per client (`c`), a wholesale invoice's id once per
 * (seller, buyer) (`w`), what a rated line's client and wholesale lines share once per rated line
 * (`b`). Lines go in in the order of the (document, sort key) index, which their entries then fill
 * in runs rather than at random. All of a client's lines are in one slice of one page, so its
 * invoice's totals are known here: written with the header, written again when a retried page (its
 * lines deleted first, the header kept) drafts it again. A wholesale invoice's totals wait for
 * `draftPayouts` (its lines span slices and pages).
 *
 * The planner's estimate of a slice's rated lines is often one row (their statistics predate the
 * run), which would make every join below a nested loop over the other side's rows: hash joins are
 * asked for, for this statement only. Returns the lines written.
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
  const [{ was }]: Array<{ was: string }> = await tx.execute(`select current_setting('enable_nestloop') as was, set_config('enable_nestloop', 'off', true)`);
  const { rows } = await executeBound(
    tx,
    `with l as materialized (
       select id, run_id, round, client_id, reseller_id, sku, late, usage_period, from_at, to_at, quantity, prorated_quantity, client_unit_price, client_amount, tiers
         from billing_rated_line where run_id = ? and round = ? and scenario = 'current' and page = ? and client_id in ${IDS}
     ), t as materialized (
       select l.run_id, l.round, l.id as line_id, x.n::int - 1 as source_tier, (x.tier ->> 'unitCost')::numeric as unit_cost, (x.tier ->> 'costAmount')::numeric as cost_amount,
              case when x.n = 1 then ?::uuid else (l.tiers -> (x.n::int - 2) ->> 'resellerId')::uuid end as seller_id, (x.tier ->> 'resellerId')::uuid as buyer_id
         from l cross join lateral jsonb_array_elements(l.tiers) with ordinality as x(tier, n)
     ), c as materialized (
       select g.*, ${draftId('g.run_id', 'g.round', `'client-invoice'`, 'g.reseller_id', 'g.client_id')} as document_id
         from (select run_id, round, reseller_id, client_id, count(*)::int as lines, sum(client_amount) as gross from l group by run_id, round, reseller_id, client_id) g
     ), w as materialized (
       select g.*, ${draftId('g.run_id', 'g.round', `'wholesale-invoice'`, 'g.seller_id', 'g.buyer_id')} as document_id
         from (select distinct run_id, round, seller_id, buyer_id from t) g
     ), p as materialized (
       select id, kind, name, code, billing_email, tax_id, branding from party
        where id = any(array(select client_id from c union select reseller_id from c union select seller_id from w union select buyer_id from w))
     ), client_documents as (
       insert into billing_document ${DOCUMENT_COLUMNS_WITH_TOTALS}
       select c.document_id, c.run_id, c.round, ?, ?, 'client-invoice', 'draft', 'invoice', c.reseller_id, c.client_id,
              ${snapshot('i')}, ${snapshot('r')}, ?, r.billing_email, '[]', c.lines, c.gross, 0, c.gross, now(), now()
         from c join p i on i.id = c.reseller_id join p r on r.id = c.client_id
       on conflict ${DRAFT_KEY} do update set line_count = excluded.line_count, gross = excluded.gross, deductions = excluded.deductions, total = excluded.total, updated_at = excluded.updated_at
        where billing_document.status = 'draft'
     ), wholesale_documents as (
       insert into billing_document ${DOCUMENT_COLUMNS}
       select w.document_id, w.run_id, w.round, ?, ?, 'wholesale-invoice', 'draft', 'invoice', w.seller_id, w.buyer_id,
              ${snapshot('s')}, ${snapshot('b')}, ?, b.billing_email, '[]', now(), now()
         from w join p s on s.id = w.seller_id join p b on b.id = w.buyer_id
       on conflict do nothing
     ), b as materialized (
       select l.*, c.document_id, cp.name as client_name, rp.name as reseller_name, ci.unit, case when l.late then 'late-usage' else 'usage' end as kind,
              to_char(l.from_at at time zone 'UTC', 'YYYYMMDDHH24MISS') as usage_order,
              coalesce(ci.name, l.sku) || case when l.late then ' (late usage of ' || l.usage_period || ')' else '' end as item
         from l
         join c on c.reseller_id = l.reseller_id and c.client_id = l.client_id
         join p cp on cp.id = l.client_id
         join p rp on rp.id = l.reseller_id
         left join catalog_item ci on ci.sku = l.sku
     ), client_lines as (
       insert into billing_document_line (id, document_id, kind, sort_key, description, client_id, client_name, reseller_id, reseller_name, sku, unit, usage_period, from_at, to_at, quantity, prorated_quantity, unit_price, amount, source_ref)
       select ${LINE_ID}, b.document_id, b.kind, concat_ws('|', b.sku, b.usage_order, b.id), b.item, b.client_id, b.client_name, b.reseller_id, b.reseller_name, b.sku, b.unit, b.usage_period,
              b.from_at, b.to_at, b.quantity, b.prorated_quantity, b.client_unit_price, b.client_amount, b.id
         from b
        order by 2, 4
       returning 1
     ), wholesale_lines as (
       insert into billing_document_line (id, document_id, kind, sort_key, description, client_id, client_name, reseller_id, reseller_name, sku, unit, usage_period, from_at, to_at, quantity, prorated_quantity, unit_price, amount, source_ref, source_tier)
       select ${LINE_ID}, w.document_id, b.kind, concat_ws('|', b.client_name, b.client_id, b.sku, b.usage_order, b.id), b.client_name || ': ' || b.item,
              b.client_id, b.client_name, b.reseller_id, b.reseller_name, b.sku, b.unit, b.usage_period, b.from_at, b.to_at, b.quantity, b.prorated_quantity,
              t.unit_cost, t.cost_amount, b.id, t.source_tier
         from t
         join b on b.id = t.line_id
         join w on w.run_id = t.run_id and w.round = t.round and w.seller_id = t.seller_id and w.buyer_id = t.buyer_id
        order by 2, 4
       returning 1
     )
     select (select count(*) from client_lines) + (select count(*) from wholesale_lines) as count`,
    [run.id, round, page, idList(clientIds), operatorId, run.period, run.mode !== 'run', run.currency, run.period, run.mode !== 'run', run.currency],
  );
  await tx.execute(`select set_config('enable_nestloop', ?, true)`, [was]);
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
