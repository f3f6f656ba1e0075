import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '@wholesail/auth';
import type { Role } from '@wholesail/domain';
import { User } from '@wholesail/persistence';
import { earliestAllowed } from '../support/earliest-allowed';
import { startHarness, type Harness } from '../support/harness';

/**
 * The partner network's write side over HTTP: creating parties with the right roles,
 * bad input that names its field and writes nothing, edits, commission agreement versions, moving
 * a reseller with its subtree, and the tenancy walls between distributors and between agents.
 *
 * Works on its own tree, unique per run, so the seeded trees other files count are untouched:
 *
 *   operator ─ D1 ─ A1, A1b (agents)           operator ─ D2 ─ A2 (agent)
 *                └ R1 ─ R1S ─ C1 (found by A1)                 └ R2 ─ C3 (found by A2)
 *                     └ C2 (found by A1b)       operator ─ RD (a direct reseller)
 *
 * Users for the new parties are inserted directly (issuing accounts is the onboarding workflow's
 * job, tested elsewhere).
 */
describe('partner network (e2e)', () => {
  let h: Harness;
  const run = Date.now().toString(36);
  const password = 'partners-e2e-password';
  const code = (name: string) => `e2e-partners-${name}-${run}`;
  const name = (label: string) => `Partners ${label} ${run}`;
  const email = (who: string) => `${who}-${run}@partners-e2e.demo`;
  const id: Record<string, string> = {};
  const token: Record<string, string> = {};
  let passwordHash: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    passwordHash = await hashPassword(password);
    token.operator = await h.login('admin@wholesail.demo');
    token.acme = await h.login('admin@acme.demo');
    token.architect = await h.login('architect@acme.demo');
    token.alice = await h.login('alice@northwind.demo');
    const seeded = await h.http.get('/parties?pageSize=200').set(as('operator')).expect(200);
    for (const p of seeded.body.items as { code: string; id: string }[]) id[p.code] = p.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  function as(who: string) {
    return { Authorization: `Bearer ${token[who]}` };
  }
  const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field).sort();

  /** A user of a party created here, signed in. */
  async function signIn(who: string, partyId: string, roles: Role[]): Promise<void> {
    const em = h.app.get(EntityManager).fork();
    await em.persistAndFlush(em.create(User, { email: email(who), displayName: who, party: partyId, roles, passwordHash, status: 'active' }));
    token[who] = await h.login(email(who), password);
  }

  async function create(who: string, body: Record<string, unknown>, status = 201) {
    return h.http.post('/parties').set(as(who)).send(body).expect(status);
  }

  /** How many parties of this run exist, as the operator sees them. */
  async function ourParties(): Promise<number> {
    const response = await h.http.get(`/parties?q=${run}&pageSize=1`).set(as('operator')).expect(200);
    return response.body.meta.total as number;
  }

  async function codesSeenBy(who: string, kind?: string): Promise<string[]> {
    const response = await h.http
      .get(`/parties?pageSize=200${kind ? `&kind=${kind}` : ''}`)
      .set(as(who))
      .expect(200);
    return (response.body.items as { code: string }[]).map((p) => p.code).sort();
  }

  describe('creating parties', () => {
    it('lets the operator create distributors', async () => {
      for (const d of ['d1', 'd2']) {
        const created = await create('operator', {
          kind: 'distributor',
          name: name(d.toUpperCase()),
          code: code(d),
          billingEmail: `Billing-${d}@Partners.demo`,
        });
        expect(created.body).toMatchObject({
          kind: 'distributor',
          code: code(d),
          status: 'active',
          parentId: id.operator,
          depth: 1,
          billingEmail: `billing-${d}@partners.demo`,
          branding: null,
          rollUp: { agents: 0, resellers: 0, clients: 0 },
        });
        id[d] = created.body.id;
      }
      await signIn('d1', id.d1, ['distributor-admin']);
      await signIn('d2', id.d2, ['distributor-admin']);
    });

    it('lets a distributor create its agents and resellers, and the operator an agent anywhere', async () => {
      // parentId defaults to the caller's own party.
      const a1 = await create('d1', { kind: 'agent', name: name('A1'), code: code('a1'), billingEmail: 'a1@partners.demo' });
      expect(a1.body).toMatchObject({ kind: 'agent', parentId: id.d1, depth: 2 });
      id.a1 = a1.body.id;
      id.a1b = (await create('d1', { kind: 'agent', name: name('A1b'), code: code('a1b'), parentId: id.d1, billingEmail: 'a1b@partners.demo' })).body.id;
      id.a2 = (await create('operator', { kind: 'agent', name: name('A2'), code: code('a2'), parentId: id.d2, billingEmail: 'a2@partners.demo' })).body.id;

      const r1 = await create('d1', {
        kind: 'reseller',
        name: name('R1'),
        code: code('r1'),
        billingEmail: 'billing-r1@partners.demo',
        notificationEmail: 'ops-r1@partners.demo',
        taxId: `nl ${run}.b-01`,
        branding: { logoUrl: 'https://r1.partners.demo/logo.png', primaryColor: '#112233' },
      });
      expect(r1.body).toMatchObject({
        parentId: id.d1,
        notificationEmail: 'ops-r1@partners.demo',
        taxId: `NL${run.toUpperCase()}B01`,
        branding: { logoUrl: 'https://r1.partners.demo/logo.png', primaryColor: '#112233' },
      });
      id.r1 = r1.body.id;
      id.r2 = (await create('operator', { kind: 'reseller', name: name('R2'), code: code('r2'), parentId: id.d2, billingEmail: 'r2@partners.demo' })).body.id;
      id.rd = (
        await create('operator', { kind: 'reseller', name: name('RD'), code: code('rd'), parentId: id.operator, billingEmail: 'rd@partners.demo' })
      ).body.id;

      // A new top-level reseller earns for its distributor (or the operator) from the start of the
      // earliest billing period still open to changes, so that a move within it can be entered.
      const r1History = await h.http.get(`/parties/${id.r1}/assignments`).set(as('operator')).expect(200);
      expect(r1History.body.items).toEqual([
        expect.objectContaining({
          resellerId: id.r1,
          distributor: { id: id.d1, code: code('d1'), name: name('D1') },
          effectiveFrom: (await earliestAllowed(h)).toISOString(),
          effectiveTo: null,
        }),
      ]);
      const rdHistory = await h.http.get(`/parties/${id.rd}/assignments`).set(as('operator')).expect(200);
      expect(rdHistory.body.items).toEqual([expect.objectContaining({ distributor: null, effectiveTo: null })]);
    });

    it('lets a reseller create sub-resellers under itself and clients anywhere in its subtree', async () => {
      await signIn('r1', id.r1, ['reseller-admin']);
      const sub = await create('r1', { kind: 'reseller', name: name('R1S'), code: code('r1s'), billingEmail: 'r1s@partners.demo' });
      expect(sub.body).toMatchObject({ parentId: id.r1, depth: 3 });
      id.r1s = sub.body.id;
      // A sub-reseller has no assignment of its own: it earns for its top-level reseller's distributor.
      expect((await h.http.get(`/parties/${id.r1s}/assignments`).set(as('operator')).expect(200)).body.items).toEqual([]);

      // Credited to an agent of R1's distributor, whom the reseller cannot otherwise see. No code: one is derived.
      const c1 = await create('r1', { kind: 'client', name: name('C1'), parentId: id.r1s, foundById: id.a1, billingEmail: 'ap-c1@partners.demo' });
      expect(c1.body).toMatchObject({ kind: 'client', parentId: id.r1s, foundById: id.a1, depth: 4, code: `partners-c1-${run}` });
      id.c1 = c1.body.id;
      id.c2 = (
        await create('operator', {
          kind: 'client',
          name: name('C2'),
          code: code('c2'),
          parentId: id.r1,
          foundById: id.a1b,
          billingEmail: 'ap-c2@partners.demo',
        })
      ).body.id;
      id.c3 = (
        await create('operator', { kind: 'client', name: name('C3'), code: code('c3'), parentId: id.r2, foundById: id.a2, billingEmail: 'ap-c3@partners.demo' })
      ).body.id;

      // Two clients of different resellers may share a name; the derived code stays unique.
      const twin = await create('operator', { kind: 'client', name: name('C1'), parentId: id.r2, billingEmail: 'ap-twin@partners.demo' });
      expect(twin.body.code).toBe(`partners-c1-${run}-2`);
      id.twin = twin.body.id;

      const d1 = await h.http.get(`/parties/${id.d1}`).set(as('d1')).expect(200);
      expect(d1.body.rollUp).toEqual({ distributors: 0, agents: 2, resellers: 2, clients: 2 });
    });

    it('refuses roles that may not create, and parents the caller cannot see', async () => {
      const before = await ourParties();
      const client = { kind: 'client', name: name('Refused'), parentId: id.r1, billingEmail: 'refused@partners.demo' };
      expect((await create('architect', { ...client, parentId: id['reseller-acme'] }, 403)).body.code).toBe('ROLE_REQUIRED');
      expect((await create('alice', client, 403)).body.code).toBe('ROLE_REQUIRED');
      expect((await create('d1', client, 403)).body).toMatchObject({
        code: 'PARTY_CREATE_FORBIDDEN',
        message: 'a distributor may create only: agent, reseller',
      });
      expect((await create('d1', { kind: 'distributor', name: name('Refused'), billingEmail: 'x@partners.demo' }, 403)).body.code).toBe(
        'PARTY_CREATE_FORBIDDEN',
      );
      // A distributor places resellers only directly under itself, a reseller sub-resellers likewise.
      expect((await create('d1', { kind: 'reseller', name: name('Refused'), parentId: id.r1, billingEmail: 'x@partners.demo' }, 403)).body.code).toBe(
        'PARTY_CREATE_FORBIDDEN',
      );
      expect((await create('r1', { kind: 'reseller', name: name('Refused'), parentId: id.r1s, billingEmail: 'x@partners.demo' }, 403)).body.code).toBe(
        'PARTY_CREATE_FORBIDDEN',
      );
      // Another tenant's party reads as unknown.
      const hidden = await create('d1', { kind: 'reseller', name: name('Refused'), parentId: id.d2, billingEmail: 'x@partners.demo' }, 400);
      expect(hidden.body).toEqual({
        code: 'PARTY_UNKNOWN_PARENT',
        message: 'parentId does not exist',
        fields: [{ field: 'parentId', problem: 'does not exist' }],
      });
      expect((await create('r1', { ...client, parentId: id.r2 }, 400)).body.fields).toEqual([{ field: 'parentId', problem: 'does not exist' }]);
      expect((await create('r1', { ...client, parentId: id['reseller-acme'] }, 400)).body.fields).toEqual([{ field: 'parentId', problem: 'does not exist' }]);
      expect(await ourParties()).toBe(before);
    });

    it('answers bad input with a 4xx naming the field, and writes nothing', async () => {
      const before = await ourParties();
      const base = { kind: 'client', name: name('Bad'), code: code('bad'), parentId: id.r1, billingEmail: 'bad@partners.demo' };

      const missing = await create('operator', {}, 400);
      expect(missing.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(missing.body)).toEqual(['billingEmail', 'kind', 'name']);
      expect(missing.body.fields).toContainEqual({ field: 'name', problem: 'is required' });
      expect(
        fieldsOf((await create('operator', { ...base, kind: 'operator', billingEmail: 'not-an-email', parentId: 'nope', status: 'applied' }, 400)).body),
      ).toEqual(['billingEmail', 'kind', 'parentId', 'status']);

      const unknownParent = await create('operator', { ...base, parentId: randomUUID() }, 400);
      expect(unknownParent.body.fields).toEqual([{ field: 'parentId', problem: 'does not exist' }]);
      const wrongKind = await create('operator', { ...base, kind: 'agent', parentId: id.r1 }, 400);
      expect(wrongKind.body).toMatchObject({
        code: 'PARTY_INVALID_PARENT',
        fields: [{ field: 'parentId', problem: 'a agent cannot belong to a reseller (allowed: distributor)' }],
      });

      // An agent of another distributor; an agent for a chain the operator recruited directly; not an agent at all.
      const outside = await create('operator', { ...base, foundById: id.a2 }, 400);
      expect(outside.body).toMatchObject({
        code: 'PARTY_INVALID_AGENT',
        fields: [{ field: 'foundById', problem: 'the agent must belong to the distributor of the client’s top-level reseller' }],
      });
      expect((await create('operator', { ...base, parentId: id.rd, foundById: id.a1 }, 400)).body.fields[0].field).toBe('foundById');
      expect((await create('operator', { ...base, foundById: id.r2 }, 400)).body.fields).toEqual([{ field: 'foundById', problem: 'must be an agent' }]);
      // A reseller naming an agent outside its distributor learns only that it does not exist.
      expect((await create('r1', { ...base, foundById: id.a2 }, 400)).body.fields).toEqual([{ field: 'foundById', problem: 'does not exist' }]);
      expect((await create('operator', { ...base, kind: 'reseller', foundById: id.a1 }, 400)).body.fields).toEqual([
        { field: 'foundById', problem: 'only a client can be credited to an agent' },
      ]);

      expect((await create('operator', { ...base, taxId: '12345' }, 400)).body).toMatchObject({ code: 'PARTY_INVALID_INPUT', fields: [{ field: 'taxId' }] });
      expect((await create('operator', { ...base, branding: { primaryColor: '#000000' } }, 400)).body.fields).toEqual([
        { field: 'branding', problem: 'only resellers have branding' },
      ]);
      expect((await create('operator', { ...base, kind: 'reseller', branding: { primaryColor: 'red' } }, 400)).body.fields).toEqual([
        { field: 'branding.primaryColor', problem: 'must be a colour like #0b5cab' },
      ]);
      expect((await create('operator', { ...base, code: 'Not A Code' }, 400)).body.fields[0].field).toBe('code');

      // Duplicates: a code anywhere; a partner's name and tax ID among partners; a client's name under its reseller.
      const taken = await create('operator', { ...base, code: code('c2') }, 409);
      expect(taken.body).toMatchObject({ code: 'PARTY_DUPLICATE', fields: [{ field: 'code', problem: 'is already used by another party' }] });
      const partner = await create(
        'operator',
        { kind: 'reseller', name: name('r1').toUpperCase(), parentId: id.d2, taxId: `NL-${run}-B01`, billingEmail: 'dup@partners.demo' },
        409,
      );
      expect(fieldsOf(partner.body)).toEqual(['name', 'taxId']);
      expect((await create('operator', { ...base, name: name('C2') }, 409)).body.fields).toEqual([
        { field: 'name', problem: 'is already used by another client of this reseller' },
      ]);

      expect(await ourParties()).toBe(before);
      expect((await h.http.get(`/parties/${id.d2}`).set(as('operator')).expect(200)).body.rollUp).toMatchObject({ resellers: 1 });
    });
  });

  describe('editing parties', () => {
    it('lets a reseller change its own contacts and branding, not its name, tax ID or status', async () => {
      const own = await h.http
        .patch(`/parties/${id.r1}`)
        .set(as('r1'))
        .send({ notificationEmail: 'new-ops-r1@partners.demo', branding: { primaryColor: '#445566', accentColor: '#778899' } })
        .expect(200);
      expect(own.body).toMatchObject({
        notificationEmail: 'new-ops-r1@partners.demo',
        branding: { logoUrl: 'https://r1.partners.demo/logo.png', primaryColor: '#445566', accentColor: '#778899' },
      });
      const cleared = await h.http
        .patch(`/parties/${id.r1}`)
        .set(as('r1'))
        .send({ branding: { accentColor: null } })
        .expect(200);
      expect(cleared.body.branding).toEqual({ logoUrl: 'https://r1.partners.demo/logo.png', primaryColor: '#445566' });

      const identity = await h.http
        .patch(`/parties/${id.r1}`)
        .set(as('r1'))
        .send({ name: name('R1 renamed') })
        .expect(403);
      expect(identity.body).toMatchObject({
        code: 'PARTY_UPDATE_FORBIDDEN',
        fields: [{ field: 'name', problem: 'can be changed only by an admin above this party' }],
      });
      const status = await h.http.patch(`/parties/${id.r1}`).set(as('r1')).send({ status: 'suspended' }).expect(400);
      expect(status.body.fields).toEqual([{ field: 'status', problem: 'is not an allowed field' }]);
      expect((await h.http.get(`/parties/${id.r1}`).set(as('r1')).expect(200)).body).toMatchObject({ name: name('R1'), status: 'active' });
    });

    it('lets an admin above change the identity, and refuses anyone else and bad values', async () => {
      const renamed = await h.http
        .patch(`/parties/${id.r1}`)
        .set(as('d1'))
        .send({ name: name('R1 Renamed'), taxId: `be 0${run}` })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: name('R1 Renamed'), taxId: `BE0${run.toUpperCase()}` });
      await h.http
        .patch(`/parties/${id.r1}`)
        .set(as('d1'))
        .send({ name: name('R1') })
        .expect(200);

      await h.http.patch(`/parties/${id.r1}`).set(as('d2')).send({ billingEmail: 'x@partners.demo' }).expect(404);
      expect((await h.http.patch(`/parties/${id.r1}`).set(as('architect')).send({ billingEmail: 'x@partners.demo' }).expect(403)).body.code).toBe(
        'ROLE_REQUIRED',
      );
      expect((await h.http.patch(`/parties/${id.r1}`).set(as('d1')).send({ billingEmail: null }).expect(400)).body.fields).toEqual([
        { field: 'billingEmail', problem: 'must be an email address' },
      ]);
      expect(
        (
          await h.http
            .patch(`/parties/${id.c2}`)
            .set(as('r1'))
            .send({ branding: { logoUrl: 'https://x.demo/l.png' } })
            .expect(400)
        ).body.fields,
      ).toEqual([{ field: 'branding', problem: 'only resellers have branding' }]);
      expect(
        (
          await h.http
            .patch(`/parties/${id.r1}`)
            .set(as('operator'))
            .send({ name: name('R2') })
            .expect(409)
        ).body.fields,
      ).toEqual([{ field: 'name', problem: 'is already used by another partner' }]);
      expect((await h.http.patch(`/parties/${id.r1}`).set(as('operator')).send({ taxId: 'XX' }).expect(400)).body.fields[0].field).toBe('taxId');
      expect((await h.http.get(`/parties/${id.r1}`).set(as('operator')).expect(200)).body).toMatchObject({
        name: name('R1'),
        taxId: `BE0${run.toUpperCase()}`,
        billingEmail: 'billing-r1@partners.demo',
      });
    });
  });

  describe('tenancy', () => {
    it('keeps distributor A away from distributor B’s resellers and agents', async () => {
      await signIn('a1', id.a1, ['agent']);
      await signIn('a1b', id.a1b, ['agent']);
      expect(await codesSeenBy('d1', 'reseller')).toEqual([code('r1'), code('r1s')].sort());
      expect(await codesSeenBy('d1', 'agent')).toEqual([code('a1'), code('a1b')].sort());
      expect(await codesSeenBy('d2', 'reseller')).toEqual([code('r2')]);
      expect(await codesSeenBy('d2', 'agent')).toEqual([code('a2')]);
      for (const other of [id.r2, id.a2, id.c3, id.d2]) {
        expect((await h.http.get(`/parties/${other}`).set(as('d1')).expect(404)).body.code).toBe('PARTY_NOT_FOUND');
      }
      for (const other of [id.r1, id.r1s, id.a1, id.c1]) await h.http.get(`/parties/${other}`).set(as('d2')).expect(404);
      await h.http.get(`/parties/${id.d2}/children`).set(as('d1')).expect(404);
    });

    it('shows an agent only its own clients, never another agent’s', async () => {
      expect(await codesSeenBy('a1')).toEqual([code('a1'), `partners-c1-${run}`].sort());
      expect(await codesSeenBy('a1b')).toEqual([code('a1b'), code('c2')].sort());
      await h.http.get(`/parties/${id.c2}`).set(as('a1')).expect(404);
      await h.http.get(`/parties/${id.c1}`).set(as('a1b')).expect(404);
      await h.http.get(`/parties/${id.a1b}`).set(as('a1')).expect(404);
      expect((await h.http.get(`/parties/${id.c1}`).set(as('a1')).expect(200)).body.foundById).toBe(id.a1);
    });
  });

  describe('commission agreements', () => {
    const agreements = (who: string, partyId: string) => h.http.get(`/parties/${partyId}/agreements`).set(as(who));
    const propose = (partyId: string, body: Record<string, unknown>, status: number) =>
      h.http.post(`/parties/${partyId}/agreements`).set(as('operator')).send(body).expect(status);

    it('creates a distributor’s and agents’ terms', async () => {
      const d1 = await propose(id.d1, { rate: '0.05', feePerActiveClient: '2.00' }, 201);
      expect(d1.body).toMatchObject({
        partyId: id.d1,
        rate: '0.05',
        feePerActiveClient: '2',
        currency: 'EUR',
        firstMonths: null,
        fundedBy: null,
        effectiveTo: null,
      });
      const a1 = await propose(id.a1, { rate: '0.02', firstMonths: 12 }, 201);
      expect(a1.body).toMatchObject({ rate: '0.02', firstMonths: 12, fundedBy: 'operator', feePerActiveClient: null });
      expect((await propose(id.a1b, { rate: '0.015', fundedBy: 'distributor', currency: 'EUR' }, 201)).body.fundedBy).toBe('distributor');
    });

    it('versions them: a new version ends the one in force; overlaps and backdating are refused', async () => {
      const later = new Date(Date.now() + 24 * 3600_000).toISOString();
      const next = await propose(id.d1, { rate: '0.06', effectiveFrom: later }, 201);
      expect(next.body).toMatchObject({ rate: '0.06', feePerActiveClient: null, effectiveFrom: later, effectiveTo: null });
      const list = await agreements('operator', id.d1).expect(200);
      expect(list.body.items.map((a: { rate: string; effectiveTo: string | null }) => [a.rate, a.effectiveTo])).toEqual([
        ['0.06', null],
        ['0.05', later],
      ]);
      const inForce = await agreements('operator', id.d1).query({ inForceAt: new Date().toISOString() }).expect(200);
      expect(inForce.body.items.map((a: { rate: string }) => a.rate)).toEqual(['0.05']);

      // Starting now would overlap the version scheduled for tomorrow.
      const overlap = await propose(id.d1, { rate: '0.07' }, 409);
      expect(overlap.body).toMatchObject({ code: 'AGREEMENT_OVERLAPPING_VERSIONS', fields: [{ field: 'effectiveFrom' }] });
      const backdated = await propose(id.d1, { rate: '0.07', effectiveFrom: '2026-01-01T00:00:00Z' }, 400);
      expect(backdated.body).toMatchObject({ code: 'AGREEMENT_EFFECTIVE_IN_PAST', fields: [{ field: 'effectiveFrom' }] });
      expect((await agreements('operator', id.d1).expect(200)).body.meta.total).toBe(2);
    });

    it('refuses bad terms, naming the field, and writes nothing', async () => {
      expect((await propose(id.d1, {}, 400)).body.fields).toEqual([{ field: 'rate', problem: 'is required' }]);
      expect((await propose(id.d1, { rate: 0.05 }, 400)).body.fields).toEqual([
        { field: 'rate', problem: 'must be a decimal string such as "0.05", not a JSON number' },
      ]);
      expect((await propose(id.d1, { rate: '1.5', effectiveFrom: '2031-01-01T00:00:00Z' }, 400)).body).toMatchObject({
        code: 'AGREEMENT_INVALID_TERMS',
        fields: [{ field: 'rate', problem: 'must be a fraction between 0 and 1 (0.05 is 5 %)' }],
      });
      expect(fieldsOf((await propose(id.d1, { rate: '0.05', firstMonths: 3, fundedBy: 'operator', effectiveFrom: '2031-01-01T00:00:00Z' }, 400)).body)).toEqual(
        ['firstMonths', 'fundedBy'],
      );
      expect((await propose(id.a1, { rate: '0.02', feePerActiveClient: '1.00' }, 400)).body.fields).toEqual([
        { field: 'feePerActiveClient', problem: 'applies to distributors only' },
      ]);
      expect((await propose(id.a1, { rate: '0.02', firstMonths: 0 }, 400)).body.fields[0].field).toBe('firstMonths');
      expect((await propose(id.a1, { rate: '0.02', currency: 'USD' }, 400)).body.fields).toEqual([
        { field: 'currency', problem: "must be the catalog's currency, EUR" },
      ]);
      expect((await propose(id.r1, { rate: '0.02' }, 400)).body).toMatchObject({ code: 'AGREEMENT_INVALID_PARTY', fields: [{ field: 'id' }] });
      expect((await h.http.post(`/parties/${id.d1}/agreements`).set(as('d1')).send({ rate: '0.09' }).expect(403)).body.code).toBe('ROLE_REQUIRED');
      expect((await agreements('operator', id.d1).expect(200)).body.meta.total).toBe(2);
      expect((await agreements('operator', id.a1).expect(200)).body.meta.total).toBe(1);
    });

    it('shows them to the operator, the party itself and a distributor for its agents, no one else', async () => {
      await agreements('d1', id.d1).expect(200);
      expect((await agreements('d1', id.a1).expect(200)).body.items[0].rate).toBe('0.02');
      await agreements('a1', id.a1).expect(200);
      await agreements('a1', id.a1b).expect(404);
      await agreements('a1', id.d1).expect(404);
      await agreements('d2', id.d1).expect(404);
      await agreements('d2', id.a1).expect(404);
      expect((await agreements('r1', id.d1).expect(403)).body.code).toBe('ROLE_REQUIRED');
    });

    it('seeds the demo channel’s agreements, assignments and branding', async () => {
      const northwind = await agreements('operator', id['dist-northwind']).expect(200);
      expect(northwind.body.items[northwind.body.items.length - 1]).toMatchObject({ rate: '0.05', feePerActiveClient: '2', currency: 'EUR' });
      const bob = await agreements('operator', id['agent-bob']).expect(200);
      expect(bob.body.items[bob.body.items.length - 1]).toMatchObject({ rate: '0.015', fundedBy: 'distributor' });
      const acme = await h.http.get(`/parties/${id['reseller-acme']}/assignments`).set(as('acme')).expect(200);
      expect(acme.body.items[0].distributor).toMatchObject({ code: 'dist-northwind' });
      expect((await h.http.get(`/parties/${id['reseller-acme']}`).set(as('acme')).expect(200)).body.branding).toMatchObject({
        primaryColor: expect.stringMatching(/^#/),
      });
    });
  });

  describe('moving a reseller', () => {
    const move = (who: string, resellerId: string, body: Record<string, unknown>, status: number) =>
      h.http.post(`/parties/${resellerId}/moves`).set(as(who)).send(body).expect(status);
    const history = async (resellerId: string) =>
      (await h.http.get(`/parties/${resellerId}/assignments`).set(as('operator')).expect(200)).body.items as {
        distributor: { id: string } | null;
        effectiveFrom: string;
        effectiveTo: string | null;
      }[];

    it('refuses bad moves, naming the field, and writes nothing', async () => {
      expect((await move('d1', id.r1, { parentId: id.d2 }, 403)).body.code).toBe('ROLE_REQUIRED');
      const cycle = await move('operator', id.r1, { parentId: id.r1s }, 400);
      expect(cycle.body).toMatchObject({
        code: 'PARTY_CYCLE',
        fields: [{ field: 'parentId', problem: 'would put the reseller below itself (a cycle in the reseller chain)' }],
      });
      expect((await move('operator', id.r1, { parentId: id.r1 }, 400)).body.code).toBe('PARTY_CYCLE');
      expect((await move('operator', id.r1, { parentId: id.c3 }, 400)).body).toMatchObject({ code: 'PARTY_INVALID_PARENT', fields: [{ field: 'parentId' }] });
      expect((await move('operator', id.r1, { parentId: id.a2 }, 400)).body.fields[0].field).toBe('parentId');
      expect((await move('operator', id.r1, { parentId: randomUUID() }, 400)).body.fields).toEqual([{ field: 'parentId', problem: 'does not exist' }]);
      expect((await move('operator', id.r1, { parentId: id.d1 }, 400)).body.code).toBe('PARTY_MOVE_NO_CHANGE');
      expect((await move('operator', id.c1, { parentId: id.r2 }, 400)).body).toMatchObject({ code: 'PARTY_NOT_A_RESELLER', fields: [{ field: 'id' }] });
      expect((await move('operator', id.r1, {}, 400)).body.fields).toEqual([{ field: 'parentId', problem: 'is required' }]);

      // A move reaches back no further than EffectiveDatePolicy allows (the start of the earliest
      // billing period not finalised); future-dated moves are not supported yet.
      const bound = await earliestAllowed(h);
      const tooEarly = await move('operator', id.r1, { parentId: id.d2, effectiveFrom: new Date(bound.getTime() - 1000).toISOString() }, 400);
      expect(tooEarly.body).toMatchObject({
        code: 'PARTY_MOVE_IN_PAST',
        fields: [{ field: 'effectiveFrom', problem: expect.stringContaining(`must not be before ${bound.toISOString()}`) }],
      });
      const soon = new Date(Date.now() + 3600_000).toISOString();
      expect((await move('operator', id.r1, { parentId: id.d2, effectiveFrom: soon }, 400)).body).toMatchObject({
        code: 'PARTY_MOVE_IN_FUTURE',
        fields: [{ field: 'effectiveFrom' }],
      });
      // R1's assignment to D1 starts at that bound: a move cannot start there too (versions never overlap).
      expect((await move('operator', id.r1, { parentId: id.d2, effectiveFrom: bound.toISOString() }, 409)).body).toMatchObject({
        code: 'PARTY_MOVE_OVERLAP',
        fields: [{ field: 'effectiveFrom' }],
      });

      expect(await history(id.r1)).toHaveLength(1);
      expect((await h.http.get(`/parties/${id.c1}`).set(as('operator')).expect(200)).body).toMatchObject({ depth: 4 });
      expect(await codesSeenBy('d1', 'reseller')).toEqual([code('r1'), code('r1s')].sort());
    });

    it('moves a reseller with its sub-resellers and clients to another distributor', async () => {
      const moved = await move('operator', id.r1, { parentId: id.d2 }, 201);
      expect(moved.body).toMatchObject({
        partiesMoved: 4,
        party: { id: id.r1, parentId: id.d2, depth: 2, rollUp: { resellers: 1, clients: 2 } },
        assignment: { distributor: { id: id.d2 }, effectiveTo: null },
      });

      // The whole subtree went along: the old distributor sees none of it, the new one all of it.
      expect(await codesSeenBy('d1')).toEqual([code('a1'), code('a1b'), code('d1')].sort());
      await h.http.get(`/parties/${id.c1}`).set(as('d1')).expect(404);
      await h.http.get(`/parties/${id.r1s}`).set(as('d1')).expect(404);
      expect(await codesSeenBy('d2', 'reseller')).toEqual([code('r1'), code('r1s'), code('r2')].sort());
      expect(await codesSeenBy('d2', 'client')).toEqual([code('c2'), code('c3'), `partners-c1-${run}`, `partners-c1-${run}-2`].sort());
      expect((await h.http.get(`/parties/${id.c1}`).set(as('d2')).expect(200)).body).toMatchObject({ parentId: id.r1s, depth: 4 });
      expect((await h.http.get(`/parties/${id.d1}`).set(as('d1')).expect(200)).body.rollUp).toEqual({ distributors: 0, agents: 2, resellers: 0, clients: 0 });
      expect((await h.http.get(`/parties/${id.d2}`).set(as('d2')).expect(200)).body.rollUp).toEqual({ distributors: 0, agents: 1, resellers: 3, clients: 4 });
      // The moved reseller's own admin still sees its subtree.
      expect(await codesSeenBy('r1')).toEqual([code('c2'), code('r1'), code('r1s'), `partners-c1-${run}`].sort());

      // Two rows: D1 until the move, D2 from it.
      const rows = await history(id.r1);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ distributor: { id: id.d1 }, effectiveTo: rows[1].effectiveFrom });
      expect(rows[1]).toMatchObject({ distributor: { id: id.d2 }, effectiveTo: null });
      expect((await h.http.get(`/parties/${id.r1}/assignments`).set(as('r1')).expect(200)).body.meta.total).toBe(2);
      await h.http.get(`/parties/${id.r1}/assignments`).set(as('d1')).expect(404);
    });

    it('moves a reseller under another reseller, and a sub-reseller to the operator', async () => {
      const under = await move('operator', id.rd, { parentId: id.r2 }, 201);
      expect(under.body).toMatchObject({ partiesMoved: 1, party: { parentId: id.r2, depth: 3 }, assignment: { distributor: { id: id.d2 } } });
      expect((await history(id.rd)).map((r) => r.distributor?.id ?? null)).toEqual([null, id.d2]);
      expect(await codesSeenBy('d2', 'reseller')).toContain(code('rd'));

      // R1S never had an assignment of its own: its time under D2 is recorded, then the operator's.
      const out = await move('operator', id.r1s, { parentId: id.operator }, 201);
      expect(out.body).toMatchObject({ partiesMoved: 2, party: { depth: 1 }, assignment: { distributor: null } });
      const rows = await history(id.r1s);
      expect(rows.map((r) => [r.distributor?.id ?? null, r.effectiveTo === null])).toEqual([
        [id.d2, false],
        [null, true],
      ]);
      await h.http.get(`/parties/${id.c1}`).set(as('d2')).expect(404);
      await h.http.get(`/parties/${id.c1}`).set(as('r1')).expect(404);
      expect((await h.http.get(`/parties/${id.c1}`).set(as('operator')).expect(200)).body.depth).toBe(2);
    });

    it('carries along the assignment of a sub-reseller that has one of its own', async () => {
      // RD, now below R2, has its own history (it was a top-level reseller); moving R2 moves it too.
      const moved = await move('operator', id.r2, { parentId: id.d1 }, 201);
      expect(moved.body).toMatchObject({ partiesMoved: 4, assignment: { distributor: { id: id.d1 } } });
      const rows = await history(id.rd);
      expect(rows.map((r) => r.distributor?.id ?? null)).toEqual([null, id.d2, id.d1]);
      expect(rows[1].effectiveTo).toBe(rows[2].effectiveFrom);
      expect((await history(id.r2)).map((r) => r.distributor?.id ?? null)).toEqual([id.d2, id.d1]);
      expect(await codesSeenBy('d1', 'reseller')).toEqual([code('r2'), code('rd')].sort());
      expect((await h.http.get(`/parties/${id.rd}`).set(as('d1')).expect(200)).body).toMatchObject({ parentId: id.r2, depth: 3 });
    });

    it('lists assignment history only to the operator and the reseller’s own and ancestors’ admins', async () => {
      expect((await h.http.get(`/parties/${id['reseller-acme']}/assignments`).set(as('alice')).expect(403)).body.code).toBe('ROLE_REQUIRED');
      await h.http.get(`/parties/${id.r1}/assignments`).set(as('d1')).expect(404);
      await h.http.get(`/parties/${id.r1}/assignments`).set(as('d2')).expect(200);
      await h.http.get(`/parties/${id.r1}/assignments`).set(as('r1')).expect(200);
    });
  });

  describe('uniqueness under concurrency, and searches', () => {
    const search = async (q: string) =>
      (await h.http.get('/parties').query({ q, pageSize: 200 }).set(as('operator')).expect(200)).body as {
        items: { name: string; code: string }[];
        meta: { total: number };
      };

    it('lets exactly one of ten identical concurrent creations through: the database decides', async () => {
      id.d3 = (await create('operator', { kind: 'distributor', name: name('D3'), code: code('d3'), billingEmail: 'd3@partners.demo' })).body.id;
      const race = async (body: Record<string, unknown>) => {
        // No Idempotency-Key: ten truly concurrent requests, each in its own transaction.
        const responses = await Promise.all(Array.from({ length: 10 }, () => h.http.post('/parties').set(as('operator')).send(body)));
        const created = responses.filter((r) => r.status === 201);
        const refused = responses.filter((r) => r.status !== 201);
        expect(created).toHaveLength(1);
        expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 9 }, () => [409, 'PARTY_DUPLICATE']));
        for (const r of refused) expect(r.body.fields).toContainEqual(expect.objectContaining({ field: 'name' }));
        expect((await search(body.name as string)).meta.total).toBe(1);
        return created[0].body.id as string;
      };
      id.racer = await race({ kind: 'reseller', name: name('Racer'), parentId: id.d3, billingEmail: 'racer@partners.demo' });
      await race({ kind: 'client', name: name('Racing Client'), parentId: id.racer, billingEmail: 'ap@racer.demo' });
    });

    it('matches % and _ in q= literally', async () => {
      for (const label of ['100%_Cloud', '100%xCloud', '100 Cloud'])
        await create('operator', { kind: 'client', name: `${label} ${run}`, parentId: id.racer, billingEmail: 'ap@cloud.demo' });
      expect((await search(`%_Cloud ${run}`)).items.map((p) => p.name)).toEqual([`100%_Cloud ${run}`]);
      const percent = await search('%');
      expect(percent.items.map((p) => p.name)).toEqual(expect.arrayContaining([`100%_Cloud ${run}`, `100%xCloud ${run}`]));
      expect(percent.items.every((p) => p.name.includes('%'))).toBe(true);
      expect((await search(`0_Cloud ${run}`)).meta.total).toBe(0);

      const catalog = await h.http.get('/catalog/items').query({ q: '_', pageSize: 200 }).set(as('operator')).expect(200);
      expect((catalog.body.items as { sku: string; name: string }[]).every((item) => `${item.sku}${item.name}`.includes('_'))).toBe(true);
    });
  });
});
