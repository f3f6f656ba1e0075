import { Client } from 'pg';
import { CHANNEL } from './payout-documents';

/** The channel's sizes: the (CHANNEL) at scale 1. */
export interface ChannelSizes {
  clients: number;
  resellers: number;
  distributors: number;
  agents: number;
  usageEvents: number;
}

/**
 * The channel shrunk (or grown) by `scale` for a quicker loop: clients, resellers, agents and
 * events in proportion; the 50 distributors stay (each keeps at least one agent, and a fifth of the
 * resellers stay sub-resellers). Scale 1 is the sizes, which the reported figures use.
 */
export function channelSizes(scale = 1): ChannelSizes {
  if (!(scale > 0)) throw new Error(`the bench's scale must be a positive number, not ${scale}`);
  const agentsPerDistributor = Math.max(1, Math.round((CHANNEL.agents / CHANNEL.distributors) * scale));
  const clients = Math.max(CHANNEL.distributors, Math.round(CHANNEL.clients * scale));
  return {
    clients,
    resellers: Math.max(CHANNEL.distributors, Math.round((CHANNEL.resellers * scale) / 5) * 5),
    distributors: CHANNEL.distributors,
    agents: agentsPerDistributor * CHANNEL.distributors,
    usageEvents: clients * (CHANNEL.usageEvents / CHANNEL.clients),
  };
}

export interface GeneratedChannel {
  period: string;
  periodStart: Date;
  periodEnd: Date;
  counts: Record<string, number>;
  seconds: number;
}

/**
 * Writes the channel straight into PostgreSQL, set-wise (INSERT … SELECT over
 * generate_series, no row travels through Node): an operator, 50 distributors with their
 * agreements (5 % + 2.00 EUR per active client), 500 agents (10 per distributor; 2 % for a client's
 * first 12 months, half carved out of their distributor's cut), 1,600 top-level resellers assigned
 * to distributors and 400 sub-resellers under them (each with client and sub-reseller price books),
 * five catalog items, 100,000 clients (60 % credited to an agent of their distributor) and
 * 1,000,000 resource events in `period`: per client five resources that start in the month and
 * change quantity or stop later in it. Ids are md5-derived, so a second run writes the same rows.
 */
export async function generateChannel(databaseUrl: string, period: string, sizes: ChannelSizes = channelSizes()): Promise<GeneratedChannel> {
  const started = process.hrtime.bigint();
  const periodStart = new Date(`${period}-01T00:00:00Z`);
  const periodEnd = new Date(periodStart);
  periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1);
  const seconds = Math.round((periodEnd.getTime() - periodStart.getTime()) / 1000);
  const topLevel = sizes.resellers - sizes.resellers / 5;
  const subs = sizes.resellers - topLevel;
  const perClient = sizes.usageEvents / sizes.clients / 2;

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('begin');
    const run = (sql: string, params: unknown[] = []) => db.query(sql, params);
    // Functions of the bench only: the id of the n-th party of a kind, and its path.
    await run(`create or replace function pg_temp.bid(kind text, n int) returns uuid language sql immutable as $$ select md5(kind || ':' || n)::uuid $$`);
    const op = `pg_temp.bid('operator', 0)`;
    const common = `now(), now()`;
    await run(
      `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email)
       values (${op}, ${common}, 'operator', 'Bench Operator', 'bench-operator', 'active', null, '/' || ${op} || '/', 0, 'finance@operator.bench')`,
    );
    await run(
      `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email)
       select pg_temp.bid('distributor', i), ${common}, 'distributor', 'Distributor ' || i, 'distributor-' || i, 'active', ${op},
              '/' || ${op} || '/' || pg_temp.bid('distributor', i) || '/', 1, 'billing@distributor-' || i || '.bench'
       from generate_series(0, $1 - 1) i`,
      [sizes.distributors],
    );
    await run(
      `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email)
       select pg_temp.bid('agent', i), ${common}, 'agent', 'Agent ' || i, 'agent-' || i, 'active', pg_temp.bid('distributor', i % $2),
              '/' || ${op} || '/' || pg_temp.bid('distributor', i % $2) || '/' || pg_temp.bid('agent', i) || '/', 2, 'agent-' || i || '@agents.bench'
       from generate_series(0, $1 - 1) i`,
      [sizes.agents, sizes.distributors],
    );
    await run(
      `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email)
       select pg_temp.bid('reseller', i), ${common}, 'reseller', 'Reseller ' || i, 'reseller-' || i, 'active', pg_temp.bid('distributor', i % $2),
              '/' || ${op} || '/' || pg_temp.bid('distributor', i % $2) || '/' || pg_temp.bid('reseller', i) || '/', 2, 'billing@reseller-' || i || '.bench'
       from generate_series(0, $1 - 1) i`,
      [topLevel, sizes.distributors],
    );
    await run(
      `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email)
       select pg_temp.bid('reseller', $1 + s), ${common}, 'reseller', 'Reseller ' || ($1 + s), 'reseller-' || ($1 + s), 'active', parent.id,
              parent.path || pg_temp.bid('reseller', $1 + s) || '/', 3, 'billing@reseller-' || ($1 + s) || '.bench'
       from generate_series(0, $2 - 1) s join party parent on parent.id = pg_temp.bid('reseller', s % $1)`,
      [topLevel, subs],
    );
    await run(
      `insert into reseller_assignment (id, created_at, updated_at, reseller_id, distributor_id, effective_from)
       select pg_temp.bid('assignment', i), ${common}, pg_temp.bid('reseller', i), pg_temp.bid('distributor', i % $2), '2020-01-01T00:00:00Z'::timestamptz
       from generate_series(0, $1 - 1) i`,
      [topLevel, sizes.distributors],
    );
    await run(
      `insert into price_book_version (id, created_at, updated_at, reseller_id, audience, default_uplift_percent, effective_from, created_by)
       select pg_temp.bid('book-clients', i), ${common}, pg_temp.bid('reseller', i), 'clients'::price_book_audience, 20, '2020-01-01T00:00:00Z'::timestamptz, 'bench' from generate_series(0, $1 - 1) i
       union all
       select pg_temp.bid('book-subs', i), ${common}, pg_temp.bid('reseller', i), 'subResellers'::price_book_audience, 10, '2020-01-01T00:00:00Z'::timestamptz, 'bench' from generate_series(0, $2 - 1) i`,
      [sizes.resellers, topLevel],
    );
    await run(
      `insert into commission_agreement (id, created_at, updated_at, party_id, rate, fee_per_active_client, currency, first_months, funded_by, effective_from)
       select pg_temp.bid('agreement-d', i), ${common}, pg_temp.bid('distributor', i), 0.05, 2.00, 'EUR', null, null, '2020-01-01T00:00:00Z'::timestamptz from generate_series(0, $1 - 1) i
       union all
       select pg_temp.bid('agreement-a', i), ${common}, pg_temp.bid('agent', i), 0.02, null, 'EUR', 12,
              (case when i % 2 = 0 then 'operator' else 'distributor' end)::agreement_funder, '2020-01-01T00:00:00Z'::timestamptz from generate_series(0, $2 - 1) i`,
      [sizes.distributors, sizes.agents],
    );
    await run(
      `insert into catalog_item (id, created_at, updated_at, sku, name, category, unit)
       select pg_temp.bid('item', i), ${common}, sku, name, category::catalog_category, unit
       from (values (0, 'BENCH-VCPU', 'vCPU', 'compute', 'vCPU'), (1, 'BENCH-RAM', 'RAM', 'compute', 'GB'), (2, 'BENCH-DISK', 'Disk', 'storage', 'GB'),
                    (3, 'BENCH-IP', 'Public IP', 'network', 'IP'), (4, 'BENCH-BACKUP', 'Backup', 'storage', 'GB')) as item(i, sku, name, category, unit)`,
    );
    await run(
      `insert into catalog_price (id, created_at, updated_at, item_id, currency, unit_price, effective_from)
       select pg_temp.bid('price', i), ${common}, pg_temp.bid('item', i), 'EUR', price, '2020-01-01T00:00:00Z'::timestamptz
       from (values (0, 12.50), (1, 3.20), (2, 0.08), (3, 4.00), (4, 0.05)) as p(i, price)`,
    );
    // Clients: spread over every reseller; 60 % credited to one of their distributor's agents.
    await run(
      `insert into party (id, created_at, updated_at, kind, name, code, status, parent_id, path, depth, billing_email, found_by_id, active_since)
       select pg_temp.bid('client', c), ${common}, 'client', 'Client ' || c, 'client-' || c, 'active', r.id, r.path || pg_temp.bid('client', c) || '/', r.depth + 1,
              'ap@client-' || c || '.bench',
              case when c % 5 < 3 then pg_temp.bid('agent', ((case when c % $2 < $3 then c % $2 else (c % $2 - $3) % $3 end) % $4) + $4 * (c % ($5::int / $4))) end,
              '2026-01-01T00:00:00Z'::timestamptz - ((c % 400) || ' days')::interval
       from generate_series(0, $1 - 1) c join party r on r.id = pg_temp.bid('reseller', c % $2)`,
      [sizes.clients, sizes.resellers, topLevel, sizes.distributors, sizes.agents],
    );
    await run(
      `insert into client_agent_credit (id, created_at, updated_at, client_id, agent_id, effective_from)
       select pg_temp.bid('credit', c), ${common}, p.id, p.found_by_id, p.active_since
       from generate_series(0, $1 - 1) c join party p on p.id = pg_temp.bid('client', c)`,
      [sizes.clients],
    );
    // Events: per client `perClient` resources, each starting in the month and then changing
    // quantity (even) or stopping (odd) later in it.
    await run(
      `insert into resource_event (id, transaction_id, client_id, resource_id, sku, kind, quantity, occurred_at, received_at, source, recorded_by)
       select md5('event:' || c || ':' || k || ':' || e)::uuid, 'bench-' || c || '-' || k || '-' || e, pg_temp.bid('client', c), 'vm-' || c || '-' || k,
              (array['BENCH-VCPU', 'BENCH-RAM', 'BENCH-DISK', 'BENCH-IP', 'BENCH-BACKUP'])[k % 5 + 1],
              (case when e = 0 then 'start' when k % 2 = 0 then 'change' else 'stop' end)::resource_event_kind,
              case when e = 0 then (k + 1 + c % 4)::numeric when k % 2 = 0 then (k + 2 + c % 3)::numeric end,
              $3::timestamptz + (((c * 7919 + k * 104729) % ($4 / 2)) + e * (($4 / 2) - 3600)) * interval '1 second',
              now(), 'api'::usage_source, 'bench'
       from generate_series(0, $1 - 1) c, generate_series(0, $2 - 1) k, generate_series(0, 1) e`,
      [sizes.clients, perClient, periodStart.toISOString(), seconds],
    );
    await run('commit');
    const counts: Record<string, number> = {};
    for (const table of ['party', 'reseller_assignment', 'commission_agreement', 'client_agent_credit', 'price_book_version', 'resource_event']) {
      counts[table] = Number((await db.query(`select count(*) from ${table}`)).rows[0].count);
    }
    await db.query('analyze');
    return { period, periodStart, periodEnd, counts, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
