/**
 * The floor the API is measured against: bare Fastify with `pg`, doing the same reads the API does
 * for the same two requests (verify the bearer JWT, look up the user and its party, then the page and
 * its count, or the party and its roll-up counts) and answering the same JSON. Nothing else: no
 * framework layers, no ORM, no validation. Run by api.bench.ts as a child process, like the API.
 *
 * Environment: DATABASE_URL, JWT_SECRET, PORT, DATABASE_POOL_MAX.
 */
import Fastify from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const secret = process.env.JWT_SECRET as string;

interface Caller {
  partyId: string;
  partyKind: string;
  partyPath: string;
}

/** HS256 verification, as the API's JwtService does it (signature, then expiry). */
function verify(token: string): { sub: string } | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; exp?: number };
  if (claims.exp !== undefined && claims.exp * 1000 < Date.now()) return undefined;
  return claims;
}

async function caller(authorization: string | undefined): Promise<Caller | undefined> {
  const claims = verify((authorization ?? '').replace(/^Bearer\s+/i, ''));
  if (!claims) return undefined;
  const { rows } = await pool.query(
    `select p.id, p.kind, p.path, p.status as party_status, u.status from app_user u join party p on p.id = u.party_id where u.id = $1`,
    [claims.sub],
  );
  const row = rows[0];
  if (!row || row.status !== 'active' || row.party_status === 'suspended' || row.party_status === 'closed') return undefined;
  return { partyId: row.id, partyKind: row.kind, partyPath: row.path };
}

const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function view(row: Record<string, any>, who: Caller) {
  const parentVisible = who.partyKind !== 'agent' && row.id !== who.partyId;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    code: row.code,
    status: row.status,
    parentId: parentVisible ? row.parent_id : null,
    foundById: row.found_by_id,
    activeSince: row.active_since ? (row.active_since as Date).toISOString() : null,
    billingEmail: row.billing_email,
    notificationEmail: row.notification_email,
    taxId: row.tax_id,
    branding: row.branding,
    depth: row.depth,
    createdAt: (row.created_at as Date).toISOString(),
  };
}

const app = Fastify({ logger: false });

app.get('/parties', async (request, reply) => {
  const who = await caller(request.headers.authorization);
  if (!who) return reply.code(401).send({ code: 'UNAUTHENTICATED', message: 'sign in first' });
  const query = request.query as { page?: string; pageSize?: string };
  const page = Number(query.page ?? 1);
  const pageSize = Number(query.pageSize ?? 50);
  const prefix = likePrefix(who.partyPath);
  const [items, count] = await Promise.all([
    pool.query(`select * from party where path like $1 order by depth, name, id limit $2 offset $3`, [prefix, pageSize, (page - 1) * pageSize]),
    pool.query(`select count(*)::int as total from party where path like $1`, [prefix]),
  ]);
  const total = count.rows[0].total as number;
  return {
    items: items.rows.map((row) => view(row, who)),
    meta: { page, pageSize, total, hasMore: (page - 1) * pageSize + items.rows.length < total },
  };
});

app.get('/parties/:id', async (request, reply) => {
  const who = await caller(request.headers.authorization);
  if (!who) return reply.code(401).send({ code: 'UNAUTHENTICATED', message: 'sign in first' });
  const { id } = request.params as { id: string };
  const { rows } = await pool.query(`select * from party where id = $1`, [id]);
  const party = rows[0];
  if (!party || !(party.path as string).startsWith(who.partyPath)) return reply.code(404).send({ code: 'PARTY_NOT_FOUND', message: 'not found' });
  const counts = await pool.query(`select kind, count(*)::int as n from party where path like $1 and id <> $2 group by kind`, [
    likePrefix(party.path),
    party.id,
  ]);
  const rollUp = { distributors: 0, agents: 0, resellers: 0, clients: 0 };
  const field: Record<string, keyof typeof rollUp> = { distributor: 'distributors', agent: 'agents', reseller: 'resellers', client: 'clients' };
  for (const row of counts.rows) if (field[row.kind]) rollUp[field[row.kind]] = row.n;
  return { ...view(party, who), rollUp };
});

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(
  () => process.send?.('ready'),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void app.close().then(() => pool.end().then(() => process.exit(0))));
