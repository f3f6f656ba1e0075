import { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import type { Role } from '@wholesail/domain';
import { User } from '@wholesail/persistence';
import { earliestAllowed } from '../support/earliest-allowed';
import { startHarness, type Harness } from '../support/harness';

/**
 * Going live with history over HTTP: a client's customer-since date,
 * its agent credit history and re-credits in the middle of a period, and versioned records dated
 * back into the open period, not before it. Nothing is finalised in the shared database, so the
 * bound is the start of the previous month (a finalised period: going-live-finalised.e2e-spec.ts).
 *
 * Its own tree, unique per run:
 *
 *   operator ─ D ─ A1, A2 (agents)      operator ─ E ─ X (agent)
 *                └ R ─ C (found by A1)
 */
describe('going live with history (e2e)', () => {
  let h: Harness;
  const run = Date.now().toString(36);
  const password = 'going-live-e2e-password';
  const name = (label: string) => `Going Live ${label} ${run}`;
  const email = (who: string) => `${who}-${run}@going-live-e2e.demo`;
  const sku = (label: string) => `GL-${run}-${label}`.toUpperCase();
  const id: Record<string, string> = {};
  const token: Record<string, string> = {};
  let bound: Date;
  const DAY = 86_400_000;
  const iso = (ms: number | Date) => new Date(ms).toISOString();

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    token.operator = await h.login('admin@wholesail.demo');
    bound = await earliestAllowed(h);
    const create = async (body: Record<string, unknown>) => (await h.http.post('/parties').set(as('operator')).send(body).expect(201)).body.id as string;
    id.d = await create({ kind: 'distributor', name: name('D'), billingEmail: 'd@going-live.demo' });
    id.e = await create({ kind: 'distributor', name: name('E'), billingEmail: 'e@going-live.demo' });
    id.a1 = await create({ kind: 'agent', name: name('A1'), parentId: id.d, billingEmail: 'a1@going-live.demo' });
    id.a2 = await create({ kind: 'agent', name: name('A2'), parentId: id.d, billingEmail: 'a2@going-live.demo' });
    id.x = await create({ kind: 'agent', name: name('X'), parentId: id.e, billingEmail: 'x@going-live.demo' });
    id.r = await create({ kind: 'reseller', name: name('R'), parentId: id.d, billingEmail: 'r@going-live.demo' });
    const passwordHash = await hashPassword(password);
    const em = h.app.get(EntityManager).fork();
    const users: [string, string, Role][] = [
      ['d', id.d, 'distributor-admin'],
      ['e', id.e, 'distributor-admin'],
      ['a1', id.a1, 'agent'],
      ['a2', id.a2, 'agent'],
      ['r', id.r, 'reseller-admin'],
    ];
    for (const [who, party, role] of users) em.create(User, { email: email(who), displayName: who, party, roles: [role], passwordHash, status: 'active' });
    await em.flush();
    for (const [who] of users) token[who] = await h.login(email(who), password);
  });

  afterAll(async () => {
    await h?.close();
  });

  function as(who: string) {
    return { Authorization: `Bearer ${token[who]}` };
  }
  const credits = async (who: string, clientId: string, status = 200) => h.http.get(`/parties/${clientId}/credits`).set(as(who)).expect(status);
  const recredit = (who: string, clientId: string, body: Record<string, unknown>, status: number) =>
    h.http.post(`/parties/${clientId}/credits`).set(as(who)).send(body).expect(status);
  const spans = (body: { items: { agent: { id: string } | null; effectiveFrom: string; effectiveTo: string | null }[] }) =>
    body.items.map((c) => [c.agent?.id ?? null, c.effectiveFrom, c.effectiveTo]);

  describe('a client’s customer-since date', () => {
    it('is set when the client is created: in the past (from another platform) or, by default, now', async () => {
      const created = await h.http
        .post('/parties')
        .set(as('r'))
        .send({ kind: 'client', name: name('C'), foundById: id.a1, activeSince: '2025-12-01T00:00:00+01:00', billingEmail: 'c@going-live.demo' })
        .expect(201);
      expect(created.body).toMatchObject({ kind: 'client', foundById: id.a1, activeSince: '2025-11-30T23:00:00.000Z' });
      id.c = created.body.id;
      // Its agent credit starts when it became a customer.
      expect(spans((await credits('operator', id.c)).body)).toEqual([[id.a1, '2025-11-30T23:00:00.000Z', null]]);

      const now = await h.http
        .post('/parties')
        .set(as('r'))
        .send({ kind: 'client', name: name('Now'), billingEmail: 'now@going-live.demo' })
        .expect(201);
      expect(now.body.activeSince).toBe(now.body.createdAt);
      id.now = now.body.id;
      expect(spans((await credits('operator', id.now)).body)).toEqual([[null, now.body.createdAt, null]]);
      // Other parties have none.
      expect((await h.http.get(`/parties/${id.r}`).set(as('r')).expect(200)).body.activeSince).toBeNull();
    });

    it('refuses a date in the future, before 1970, malformed, or for a party that is not a client, naming the field', async () => {
      const before = (await h.http.get(`/parties?q=${run}&pageSize=1`).set(as('operator')).expect(200)).body.meta.total;
      const client = (activeSince: unknown) => ({ kind: 'client', name: name('Refused'), activeSince, billingEmail: 'refused@going-live.demo' });
      const future = await h.http
        .post('/parties')
        .set(as('r'))
        .send(client(iso(Date.now() + DAY)))
        .expect(400);
      expect(future.body).toMatchObject({
        code: 'PARTY_INVALID_ACTIVE_SINCE',
        fields: [{ field: 'activeSince', problem: expect.stringMatching(/^must not be in the future/) }],
      });
      const early = await h.http.post('/parties').set(as('r')).send(client('1969-12-31T23:59:59Z')).expect(400);
      // The validation layer refuses every date outside 1970–9999 before the party rules run.
      expect(early.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'activeSince', problem: expect.stringMatching(/^must lie between 1970-01-01/) }],
      });
      const malformed = await h.http.post('/parties').set(as('r')).send(client('2025-12-01')).expect(400);
      expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'activeSince' }] });
      const reseller = await h.http
        .post('/parties')
        .set(as('operator'))
        .send({ kind: 'reseller', name: name('Refused'), parentId: id.d, activeSince: '2025-12-01T00:00:00Z', billingEmail: 'refused@going-live.demo' })
        .expect(400);
      expect(reseller.body).toMatchObject({
        code: 'PARTY_INVALID_INPUT',
        fields: [{ field: 'activeSince', problem: 'only a client has a customer-since date' }],
      });
      expect((await h.http.get(`/parties?q=${run}&pageSize=1`).set(as('operator')).expect(200)).body.meta.total).toBe(before);
    });

    it('is changed by an admin above the client while no finalised period depends on it, and the first credit moves with it', async () => {
      const changed = await h.http.patch(`/parties/${id.c}`).set(as('r')).send({ activeSince: '2025-06-01T00:00:00Z' }).expect(200);
      expect(changed.body.activeSince).toBe('2025-06-01T00:00:00.000Z');
      expect(spans((await credits('operator', id.c)).body)).toEqual([[id.a1, '2025-06-01T00:00:00.000Z', null]]);
      const future = await h.http
        .patch(`/parties/${id.c}`)
        .set(as('r'))
        .send({ activeSince: iso(Date.now() + DAY) })
        .expect(400);
      expect(future.body).toMatchObject({ code: 'PARTY_INVALID_ACTIVE_SINCE', fields: [{ field: 'activeSince' }] });
      // Not a client: refused, naming the field.
      expect((await h.http.patch(`/parties/${id.a1}`).set(as('d')).send({ activeSince: '2025-06-01T00:00:00Z' }).expect(400)).body.fields).toEqual([
        { field: 'activeSince', problem: 'only a client has a customer-since date' },
      ]);
    });
  });

  describe('agent credits over time', () => {
    let split: string;

    it('re-credits a client in the middle of a period: two spans, and each agent sees the client while credited', async () => {
      split = iso(Math.floor((bound.getTime() + 15 * DAY) / 1000) * 1000);
      const moved = await recredit('d', id.c, { agentId: id.a2, effectiveFrom: split }, 201);
      expect(moved.body).toMatchObject({ clientId: id.c, agent: { id: id.a2, name: name('A2') }, effectiveFrom: split, effectiveTo: null });
      expect(spans((await credits('operator', id.c)).body)).toEqual([
        [id.a1, '2025-06-01T00:00:00.000Z', split],
        [id.a2, split, null],
      ]);
      expect((await h.http.get(`/parties/${id.c}`).set(as('operator')).expect(200)).body.foundById).toBe(id.a2);

      // Agents see the clients credited to them now, and only their own spans.
      await h.http.get(`/parties/${id.c}`).set(as('a1')).expect(404);
      await credits('a1', id.c, 404);
      expect((await h.http.get(`/parties/${id.c}`).set(as('a2')).expect(200)).body.foundById).toBe(id.a2);
      expect(spans((await credits('a2', id.c)).body)).toEqual([[id.a2, split, null]]);
      expect((await h.http.get(`/parties/${id.a2}`).set(as('a2')).expect(200)).body.rollUp.clients).toBe(1);
      expect((await h.http.get(`/parties/${id.a1}`).set(as('a1')).expect(200)).body.rollUp.clients).toBe(0);
    });

    it('shows the history to the operator, the distributor and the reseller chain; to nobody else', async () => {
      expect((await credits('d', id.c)).body.meta.total).toBe(2);
      expect((await credits('r', id.c)).body.meta.total).toBe(2);
      await credits('e', id.c, 404);
      expect((await h.http.get(`/parties/${id.c}/credits`).set(as('operator')).query({ pageSize: 1 }).expect(200)).body).toMatchObject({
        items: [{ agent: { id: id.a1 } }],
        meta: { total: 2 },
      });
      const umbrella = await h.login('user@umbrella.demo');
      const own = (
        await h.http
          .get('/parties?kind=client')
          .set({ Authorization: `Bearer ${umbrella}` })
          .expect(200)
      ).body.items[0].id;
      expect(
        (
          await h.http
            .get(`/parties/${own}/credits`)
            .set({ Authorization: `Bearer ${umbrella}` })
            .expect(403)
        ).body.code,
      ).toBe('ROLE_REQUIRED');
      expect((await credits('operator', id.r, 400)).body).toMatchObject({ code: 'PARTY_NOT_A_CLIENT', fields: [{ field: 'id' }] });
    });

    it('refuses bad re-credits, naming the field, and writes nothing', async () => {
      const outside = await recredit('operator', id.c, { agentId: id.x }, 400);
      expect(outside.body).toMatchObject({
        code: 'PARTY_INVALID_AGENT',
        fields: [{ field: 'agentId', problem: 'the agent must belong to the distributor of the client’s top-level reseller' }],
      });
      // Another distributor's agent reads as unknown to a distributor.
      expect((await recredit('d', id.c, { agentId: id.x }, 400)).body.fields).toEqual([{ field: 'agentId', problem: 'does not exist' }]);
      expect((await recredit('operator', id.c, { agentId: id.r }, 400)).body.fields).toEqual([{ field: 'agentId', problem: 'must be an agent' }]);
      expect((await recredit('operator', id.c, { agentId: id.a2 }, 400)).body).toMatchObject({
        code: 'PARTY_CREDIT_NO_CHANGE',
        fields: [{ field: 'agentId' }],
      });
      const tooEarly = await recredit('operator', id.c, { agentId: id.a1, effectiveFrom: iso(bound.getTime() - 1000) }, 400);
      expect(tooEarly.body).toMatchObject({
        code: 'PARTY_CREDIT_IN_PAST',
        fields: [{ field: 'effectiveFrom', problem: expect.stringContaining(`must not be before ${bound.toISOString()}`) }],
      });
      const future = await recredit('operator', id.c, { agentId: id.a1, effectiveFrom: iso(Date.now() + 3_600_000) }, 400);
      expect(future.body).toMatchObject({ code: 'PARTY_CREDIT_IN_FUTURE', fields: [{ field: 'effectiveFrom' }] });
      // Before the credit in force began: credits never overlap.
      const overlap = await recredit('operator', id.c, { agentId: id.a1, effectiveFrom: iso(new Date(split).getTime() - DAY) }, 409);
      expect(overlap.body).toMatchObject({ code: 'PARTY_CREDIT_OVERLAP', fields: [{ field: 'effectiveFrom' }] });
      expect((await recredit('operator', id.c, {}, 400)).body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'agentId' }] });
      expect((await recredit('operator', id.r, { agentId: id.a1 }, 400)).body).toMatchObject({ code: 'PARTY_NOT_A_CLIENT', fields: [{ field: 'id' }] });
      expect((await recredit('r', id.c, { agentId: id.a1 }, 403)).body.code).toBe('ROLE_REQUIRED');
      await recredit('e', id.c, { agentId: id.x }, 404);
      expect((await credits('operator', id.c)).body.meta.total).toBe(2);
    });

    it('credits a client to no agent from now', async () => {
      const none = await recredit('operator', id.c, { agentId: null }, 201);
      expect(none.body).toMatchObject({ agent: null, effectiveTo: null });
      expect(spans((await credits('operator', id.c)).body).map(([agent, , to]) => [agent, to === null])).toEqual([
        [id.a1, false],
        [id.a2, false],
        [null, true],
      ]);
      expect((await h.http.get(`/parties/${id.c}`).set(as('operator')).expect(200)).body.foundById).toBeNull();
      await h.http.get(`/parties/${id.c}`).set(as('a2')).expect(404);
    });
  });

  describe('versioned records dated back into the open period', () => {
    const at = (days: number) => iso(bound.getTime() + days * DAY);
    const problemOf = (body: { fields: { problem: string }[] }) => body.fields[0].problem;

    it('accepts a commission agreement from the start of the open period, and refuses one before it or overlapping', async () => {
      const propose = (body: Record<string, unknown>, status: number) =>
        h.http.post(`/parties/${id.d}/agreements`).set(as('operator')).send(body).expect(status);
      expect((await propose({ rate: '0.05', effectiveFrom: at(0) }, 201)).body).toMatchObject({ effectiveFrom: at(0), effectiveTo: null });
      // A second version closes the one in force where it starts.
      await propose({ rate: '0.06', effectiveFrom: at(10) }, 201);
      const overlap = await propose({ rate: '0.07', effectiveFrom: at(5) }, 409);
      expect(overlap.body).toMatchObject({ code: 'AGREEMENT_OVERLAPPING_VERSIONS', fields: [{ field: 'effectiveFrom' }] });
      const early = await propose({ rate: '0.07', effectiveFrom: iso(bound.getTime() - 1000) }, 400);
      expect(early.body).toMatchObject({ code: 'AGREEMENT_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
      expect(problemOf(early.body)).toContain(`must not be before ${bound.toISOString()}: no billing period is finalised yet`);
      const versions = (await h.http.get(`/parties/${id.d}/agreements`).set(as('operator')).expect(200)).body.items;
      expect(versions.map((v: { rate: string; effectiveFrom: string; effectiveTo: string | null }) => [v.rate, v.effectiveFrom, v.effectiveTo])).toEqual([
        ['0.06', at(10), null],
        ['0.05', at(0), at(10)],
      ]);
    });

    it('accepts wholesale prices, price books and client overrides from the start of the open period, not before', async () => {
      const item = sku('VCPU');
      await h.http
        .post('/catalog/items')
        .set(as('operator'))
        .send({ sku: item, name: 'vCPU', category: 'compute', unit: 'vCPU', unitPrice: '10.00', effectiveFrom: at(0) })
        .expect(201);
      expect(
        (
          await h.http
            .post(`/catalog/items/${item}/prices`)
            .set(as('operator'))
            .send({ unitPrice: '11.00', effectiveFrom: at(3) })
            .expect(201)
        ).body,
      ).toMatchObject({ effectiveFrom: at(3) });
      const early = await h.http
        .post(`/catalog/items/${item}/prices`)
        .set(as('operator'))
        .send({ unitPrice: '9.00', effectiveFrom: iso(bound.getTime() - 1) })
        .expect(400);
      expect(early.body).toMatchObject({ code: 'PRICING_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
      expect(problemOf(early.body)).toContain(bound.toISOString());

      const book = await h.http
        .post('/price-books')
        .set(as('r'))
        .send({ audience: 'clients', defaultUpliftPercent: '20', effectiveFrom: at(0) })
        .expect(201);
      expect(book.body).toMatchObject({ effectiveFrom: at(0), effectiveTo: null });
      const earlyBook = await h.http
        .post('/price-books')
        .set(as('r'))
        .send({ audience: 'subResellers', defaultUpliftPercent: '10', effectiveFrom: iso(bound.getTime() - DAY) })
        .expect(400);
      expect(earlyBook.body).toMatchObject({ code: 'PRICING_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });

      const override = await h.http
        .post('/client-overrides')
        .set(as('r'))
        .send({ clientId: id.c, sku: item, kind: 'fixed', fixedUnitPrice: '12.00', effectiveFrom: at(1) })
        .expect(201);
      expect(override.body).toMatchObject({ effectiveFrom: at(1), effectiveTo: null });
      const earlyOverride = await h.http
        .post('/client-overrides')
        .set(as('r'))
        .send({ clientId: id.now, sku: item, kind: 'fixed', fixedUnitPrice: '12.00', effectiveFrom: iso(bound.getTime() - 1000) })
        .expect(400);
      expect(earlyOverride.body).toMatchObject({ code: 'PRICING_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
      // Ending it may reach back into the open period too, not before it.
      expect(
        (
          await h.http
            .post(`/client-overrides/${override.body.id}/end`)
            .set(as('r'))
            .send({ effectiveTo: iso(bound.getTime() - 1000) })
            .expect(400)
        ).body,
      ).toMatchObject({ code: 'PRICING_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveTo' }] });
      expect(
        (
          await h.http
            .post(`/client-overrides/${override.body.id}/end`)
            .set(as('r'))
            .send({ effectiveTo: at(2) })
            .expect(200)
        ).body,
      ).toMatchObject({
        effectiveTo: at(2),
      });

      // An item retired from inside the open period.
      expect(
        (
          await h.http
            .post(`/catalog/items/${item}/retire`)
            .set(as('operator'))
            .send({ retiredAt: iso(bound.getTime() - 1000) })
            .expect(400)
        ).body,
      ).toMatchObject({ code: 'PRICING_EFFECTIVE_IN_PAST', fields: [{ field: 'retiredAt' }] });
      expect(
        (
          await h.http
            .post(`/catalog/items/${item}/retire`)
            .set(as('operator'))
            .send({ retiredAt: at(4) })
            .expect(200)
        ).body,
      ).toMatchObject({
        retiredAt: at(4),
        retired: true,
      });
    });

    it('moves a reseller to another distributor from inside the open period: two assignments split there', async () => {
      const moved = await h.http
        .post(`/parties/${id.r}/moves`)
        .set(as('operator'))
        .send({ parentId: id.e, effectiveFrom: at(7) })
        .expect(201);
      expect(moved.body.assignment).toMatchObject({ distributor: { id: id.e }, effectiveFrom: at(7), effectiveTo: null });
      const history = (await h.http.get(`/parties/${id.r}/assignments`).set(as('operator')).expect(200)).body.items;
      expect(
        history.map((a: { distributor: { id: string } | null; effectiveFrom: string; effectiveTo: string | null }) => [
          a.distributor?.id,
          a.effectiveFrom,
          a.effectiveTo,
        ]),
      ).toEqual([
        [id.d, bound.toISOString(), at(7)],
        [id.e, at(7), null],
      ]);
      // The client keeps its credit history (its agents work for D).
      expect((await credits('operator', id.c)).body.meta.total).toBe(3);
    });
  });
});
