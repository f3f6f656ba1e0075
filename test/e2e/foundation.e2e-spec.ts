import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/**
 * The foundation over HTTP: health, docs, login, tenancy, API keys, validation, and the first
 * workflow end to end (API → Temporal → worker activity → PostgreSQL).
 */
describe('foundation (e2e)', () => {
  let h: Harness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness();
    const operator = await h.login('admin@wholesail.demo');
    const all = await h.http.get('/parties?pageSize=200').set('Authorization', `Bearer ${operator}`).expect(200);
    for (const party of all.body.items as { code: string; id: string }[]) ids[party.code] = party.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('reports PostgreSQL and Temporal healthy', async () => {
    const response = await h.http.get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, temporal: { status: 'up' } }, error: {} });
  });

  it('serves the OpenAPI document', async () => {
    const response = await h.http.get('/docs-json').expect(200);
    expect(response.body.info.title).toBe('Wholesail API');
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/auth/login', '/parties', '/parties/{id}/status-requests', '/health']));
    await h.http.get('/docs').expect(200);
  });

  describe('authentication', () => {
    it('lets the seeded operator admin log in and call an authorised endpoint', async () => {
      const token = await h.login('admin@wholesail.demo');
      const me = await h.http.get('/auth/me').set(auth(token)).expect(200);
      expect(me.body).toMatchObject({ type: 'user', email: 'admin@wholesail.demo', partyKind: 'operator', roles: ['operator-admin'] });
      const parties = await h.http.get('/parties?pageSize=200').set(auth(token)).expect(200);
      expect(parties.body.meta.total).toBeGreaterThanOrEqual(15);
    });

    it('refuses anonymous calls, bad tokens and wrong passwords with 401', async () => {
      const anonymous = await h.http.get('/parties').expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      await h.http.get('/parties').set('Authorization', 'Bearer not.a.jwt').expect(401);
      const wrong = await h.http.post('/auth/login').send({ email: 'admin@wholesail.demo', password: 'nope' }).expect(401);
      expect(wrong.body).toEqual({ code: 'UNAUTHENTICATED', message: 'email or password is incorrect' });
      const unknown = await h.http.post('/auth/login').send({ email: 'nobody@nowhere.demo', password: 'nope' }).expect(401);
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('rejects a malformed login with a 400 naming the field', async () => {
      const response = await h.http.post('/auth/login').send({ email: 'not-an-email', password: 'x' }).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.fields).toEqual([{ field: 'email', problem: 'must be an email address' }]);
      const unknownField = await h.http.post('/auth/login').send({ email: 'a@b.demo', password: 'x', admin: true }).expect(400);
      expect(unknownField.body.fields).toEqual([{ field: 'admin', problem: 'is not an allowed field' }]);
      const malformed = await h.http.post('/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
      expect(malformed.body.code).toBe('MALFORMED_JSON');
    });

    it('issues API keys that authenticate machine clients, and revokes them', async () => {
      const token = await h.login('admin@acme.demo');
      const created = await h.http.post('/auth/api-keys').set(auth(token)).send({ name: 'ci export' }).expect(201);
      expect(created.body.key).toMatch(/^wsk_/);
      const me = await h.http.get('/auth/me').set('X-API-Key', created.body.key).expect(200);
      expect(me.body).toMatchObject({ type: 'api-key', partyId: ids['reseller-acme'], roles: ['reseller-admin'] });
      const listed = await h.http.get('/auth/api-keys').set(auth(token)).expect(200);
      expect(listed.body.map((k: { id: string }) => k.id)).toContain(created.body.id);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
      await h.http.delete(`/auth/api-keys/${created.body.id}`).set(auth(token)).expect(200);
      await h.http.get('/auth/me').set('X-API-Key', created.body.key).expect(401);
      const tooMuch = await h.http
        .post('/auth/api-keys')
        .set(auth(token))
        .send({ name: 'escalate', roles: ['operator-admin'] })
        .expect(400);
      expect(tooMuch.body.fields[0].field).toBe('roles');
    });
  });

  describe('tenancy', () => {
    it('refuses a reseller reading or changing a sibling reseller', async () => {
      const acme = await h.login('admin@acme.demo');
      const read = await h.http.get(`/parties/${ids['reseller-globex']}`).set(auth(acme)).expect(404);
      expect(read.body.code).toBe('PARTY_NOT_FOUND');
      await h.http.get(`/parties/${ids['client-stark']}`).set(auth(acme)).expect(404);
      await h.http.get(`/parties/${ids['reseller-globex']}/children`).set(auth(acme)).expect(404);
      await h.http.post(`/parties/${ids['client-stark']}/status-requests`).set(auth(acme)).send({ status: 'suspended', reason: 'not mine' }).expect(404);
      const list = await h.http.get('/parties?pageSize=200').set(auth(acme)).expect(200);
      const codes = (list.body.items as { code: string }[]).map((p) => p.code).sort();
      expect(codes).toEqual(['client-hooli', 'client-umbrella', 'reseller-acme', 'reseller-acme-edge']);
    });

    it('lets a sub-reseller see only its own subtree, not its parent', async () => {
      const edge = await h.login('admin@acme-edge.demo');
      await h.http.get(`/parties/${ids['reseller-acme']}`).set(auth(edge)).expect(404);
      const own = await h.http.get(`/parties/${ids['reseller-acme-edge']}`).set(auth(edge)).expect(200);
      expect(own.body.parentId).toBeNull();
      expect(own.body.rollUp).toEqual({ distributors: 0, agents: 0, resellers: 0, clients: 1 });
    });

    it('shows an agent only the clients it found', async () => {
      const alice = await h.login('alice@northwind.demo');
      const list = await h.http.get('/parties?pageSize=200').set(auth(alice)).expect(200);
      const codes = (list.body.items as { code: string }[]).map((p) => p.code).sort();
      expect(codes).toEqual(['agent-alice', 'client-stark', 'client-umbrella']);
      await h.http.get(`/parties/${ids['client-wayne']}`).set(auth(alice)).expect(404);
      await h.http.get(`/parties/${ids['reseller-acme']}`).set(auth(alice)).expect(404);
      const stark = await h.http.get(`/parties/${ids['client-stark']}`).set(auth(alice)).expect(200);
      expect(stark.body.parentId).toBeNull();
    });

    it('keeps distributors apart and rolls up what lies below', async () => {
      const contoso = await h.login('admin@contoso.demo');
      await h.http.get(`/parties/${ids['reseller-acme']}`).set(auth(contoso)).expect(404);
      const northwind = await h.login('admin@northwind.demo');
      const detail = await h.http.get(`/parties/${ids['dist-northwind']}`).set(auth(northwind)).expect(200);
      expect(detail.body.rollUp).toMatchObject({ agents: 1, resellers: 3, clients: 3 });
      const resellers = await h.http.get('/parties?kind=reseller').set(auth(northwind)).expect(200);
      expect((resellers.body.items as { code: string }[]).map((p) => p.code).sort()).toEqual(['reseller-acme', 'reseller-acme-edge', 'reseller-globex']);
    });

    it('pages lists and validates the paging parameters', async () => {
      const operator = await h.login('admin@wholesail.demo');
      const page1 = await h.http.get('/parties?pageSize=5&page=1').set(auth(operator)).expect(200);
      const page2 = await h.http.get('/parties?pageSize=5&page=2').set(auth(operator)).expect(200);
      expect(page1.body.items).toHaveLength(5);
      expect(page1.body.meta.hasMore).toBe(true);
      const overlap = (page1.body.items as { id: string }[]).filter((a) => (page2.body.items as { id: string }[]).some((b) => b.id === a.id));
      expect(overlap).toEqual([]);
      const bad = await h.http.get('/parties?pageSize=1000').set(auth(operator)).expect(400);
      expect(bad.body.fields[0]).toEqual({ field: 'pageSize', problem: 'must not be greater than 200' });
    });
  });

  describe('status change workflow (API → workflow → activity → database)', () => {
    it('suspends a client through Temporal and records who asked', async () => {
      const acme = await h.login('admin@acme.demo');
      const target = ids['client-hooli'];
      const started = await h.http
        .post(`/parties/${target}/status-requests`)
        .set(auth(acme))
        .set('Idempotency-Key', 'e2e-suspend-hooli-1')
        .send({ status: 'suspended', reason: 'e2e: unpaid invoices' })
        .expect(202);
      expect(started.body).toMatchObject({ workflowId: `party-status:${target}:e2e-suspend-hooli-1`, started: true });

      const outcome = await waitFor(async () => {
        const res = await h.http.get(started.body.statusUrl).set(auth(acme)).expect(200);
        return res.body.status === 'COMPLETED' ? res.body : undefined;
      });
      expect(outcome.result).toMatchObject({ previousStatus: 'active', status: 'suspended', changed: true });

      const party = await h.http.get(`/parties/${target}`).set(auth(acme)).expect(200);
      expect(party.body.status).toBe('suspended');
      const audit = await h.http.get(`/parties/${target}/status-changes`).set(auth(acme)).expect(200);
      expect(audit.body.items[0]).toMatchObject({
        fromStatus: 'active',
        toStatus: 'suspended',
        reason: 'e2e: unpaid invoices',
        workflowId: started.body.workflowId,
      });
      expect(audit.body.items[0].requestedBy).toMatch(/^user:/);

      // A suspended client's users are locked out.
      await h.http.post('/auth/login').send({ email: 'user@hooli.demo', password: 'wholesail-demo' }).expect(403);

      // The same Idempotency-Key and body replays the first answer; no second workflow or audit row.
      const replay = await h.http
        .post(`/parties/${target}/status-requests`)
        .set(auth(acme))
        .set('Idempotency-Key', 'e2e-suspend-hooli-1')
        .send({ status: 'suspended', reason: 'e2e: unpaid invoices' })
        .expect(202);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(started.body);
      const auditAfter = await h.http.get(`/parties/${target}/status-changes`).set(auth(acme)).expect(200);
      expect(auditAfter.body.meta.total).toBe(audit.body.meta.total);

      // The same key with another body is refused.
      const reused = await h.http
        .post(`/parties/${target}/status-requests`)
        .set(auth(acme))
        .set('Idempotency-Key', 'e2e-suspend-hooli-1')
        .send({ status: 'closed', reason: 'something else' })
        .expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

      // Reactivate so other tests see the seed state.
      const back = await h.http.post(`/parties/${target}/status-requests`).set(auth(acme)).send({ status: 'active', reason: 'e2e: paid' }).expect(202);
      await waitFor(async () => ((await h.http.get(back.body.statusUrl).set(auth(acme))).body.status === 'COMPLETED' ? true : undefined));
    });

    it('refuses invalid requests before starting anything', async () => {
      const acme = await h.login('admin@acme.demo');
      const architect = await h.login('architect@acme.demo');
      const target = ids['client-umbrella'];
      const bad = await h.http.post(`/parties/${target}/status-requests`).set(auth(acme)).send({ status: 'gone', reason: 'x' }).expect(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['reason', 'status']);
      const self = await h.http
        .post(`/parties/${ids['reseller-acme']}/status-requests`)
        .set(auth(acme))
        .send({ status: 'suspended', reason: 'suspend myself' })
        .expect(403);
      expect(self.body.code).toBe('TENANCY_FORBIDDEN');
      const role = await h.http
        .post(`/parties/${target}/status-requests`)
        .set(auth(architect))
        .send({ status: 'suspended', reason: 'not an admin' })
        .expect(403);
      expect(role.body.code).toBe('ROLE_REQUIRED');
      const key = await h.http
        .post(`/parties/${target}/status-requests`)
        .set(auth(acme))
        .set('Idempotency-Key', 'bad key!')
        .send({ status: 'suspended', reason: 'bad key' })
        .expect(422);
      expect(key.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
      await h.http.get(`/parties/not-a-uuid`).set(auth(acme)).expect(400);
    });
  });
});
