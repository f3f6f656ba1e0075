import { startHarness, type Harness } from '../support/harness';

/**
 * API keys are managed by their party's admin, signed in as a person: a key cannot create, list
 * or revoke keys, and the OpenAPI document says those operations take a bearer token only.
 */
describe('API key management (e2e)', () => {
  let h: Harness;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lets only an admin of the party manage its keys', async () => {
    for (const email of ['architect@acme.demo', 'finance@wholesail.demo', 'user@umbrella.demo']) {
      const token = await h.login(email);
      const create = await h.http.post('/auth/api-keys').set(auth(token)).send({ name: 'not mine to make' }).expect(403);
      expect(create.body.code).toBe('API_KEY_ADMIN_REQUIRED');
      await h.http.get('/auth/api-keys').set(auth(token)).expect(403);
    }
    const admin = await h.login('admin@acme.demo');
    const key = await h.http.post('/auth/api-keys').set(auth(admin)).send({ name: 'export job' }).expect(201);
    const architect = await h.login('architect@acme.demo');
    const revoke = await h.http.delete(`/auth/api-keys/${key.body.id}`).set(auth(architect)).expect(403);
    expect(revoke.body.code).toBe('API_KEY_ADMIN_REQUIRED');
    // An agent party's admin is its agent user (onboarding makes it so).
    const agent = await h.login('alice@northwind.demo');
    const agentKey = await h.http.post('/auth/api-keys').set(auth(agent)).send({ name: 'agent crm sync' }).expect(201);
    await h.http.delete(`/auth/api-keys/${agentKey.body.id}`).set(auth(agent)).expect(200);
    await h.http.delete(`/auth/api-keys/${key.body.id}`).set(auth(admin)).expect(200);
  });

  it('refuses an API key on key management, even one holding the admin role', async () => {
    const admin = await h.login('admin@acme.demo');
    const created = await h.http.post('/auth/api-keys').set(auth(admin)).send({ name: 'admin-role key' }).expect(201);
    expect(created.body.roles).toEqual(['reseller-admin']);
    const key = { 'X-API-Key': created.body.key as string };
    const mint = await h.http.post('/auth/api-keys').set(key).send({ name: 'minted by a key' }).expect(403);
    expect(mint.body.code).toBe('BEARER_TOKEN_REQUIRED');
    await h.http.get('/auth/api-keys').set(key).expect(403);
    await h.http.delete(`/auth/api-keys/${created.body.id}`).set(key).expect(403);
    // Decisions are made by people too.
    const decide = await h.http.post('/approvals/tasks/any-task/decisions').set(key).send({ decision: 'approve' }).expect(403);
    expect(decide.body.code).toBe('BEARER_TOKEN_REQUIRED');
    // The key still works where keys are welcome, and was not revoked by its own attempt.
    await h.http.get('/auth/me').set(key).expect(200);
    await h.http.delete(`/auth/api-keys/${created.body.id}`).set(auth(admin)).expect(200);
  });

  it('documents the bearer-only operations as such in OpenAPI', async () => {
    const doc = (await h.http.get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/auth/api-keys', 'post'],
      ['/auth/api-keys', 'get'],
      ['/auth/api-keys/{id}', 'delete'],
      ['/approvals/tasks/{taskId}/decisions', 'post'],
    ] as const) {
      const operation = doc.paths[path][method];
      expect([path, method, operation.security]).toEqual([path, method, [{ bearer: [] }]]);
      expect(operation.responses['403']).toBeDefined();
      expect(operation.description ?? '').toMatch(/bearer token only/i);
    }
    // Where keys are accepted, both schemes are listed.
    expect(doc.paths['/auth/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'api-key': [] }]));
  });
});
