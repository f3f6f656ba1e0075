import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@wholesail/devstack';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

/**
 * The API serves the built portal (dist/portal, made by `npm run build`) under /portal/ with an SPA
 * fallback, and tells each user whose brand the portal wears (GET /branding).
 */
describe('portal serving and branding (e2e)', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const operator = await h.login('admin@wholesail.demo');
    const all = await h.http.get('/parties?pageSize=200').set(auth(operator)).expect(200);
    for (const party of all.body.items as { code: string; id: string }[]) ids[party.code] = party.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('sends / to the portal and answers every portal route with the app', async () => {
    const home = await h.http.get('/').expect(302);
    expect(home.headers.location).toBe('/portal/');
    for (const route of ['/portal/', '/portal/inbox', '/portal/applications/0b7c6b1e-3f1a-4d47-9a57-4a1d7d3c1f00', '/portal/invitations/abc.def-ghi']) {
      const page = await h.http.get(route).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.text).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable, gzipped for browsers that accept it, and a missing one as 404', async () => {
    const html = readFileSync(join(findRepoRoot(), 'dist/portal/index.html'), 'utf8');
    const entry = /<script type="module" crossorigin src="(\/portal\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await h.http.get(entry).set('Accept-Encoding', 'gzip').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.text.length).toBeGreaterThan(1000);
    const plain = await h.http.get(entry).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const missing = await h.http.get('/portal/assets/gone-0000.js').expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    await h.http.get('/portal/../package.json').expect((res) => expect(res.text).not.toContain('"devDependencies"'));
  });

  it('gives resellers and their clients the reseller’s brand, everyone else the operator’s look', async () => {
    const brandOf = async (email: string, password?: string) =>
      (
        await h.http
          .get('/branding')
          .set(auth(await h.login(email, password)))
          .expect(200)
      ).body.branding;
    expect(await brandOf('admin@wholesail.demo')).toEqual({ ownerId: null, name: null, logoUrl: null, primaryColor: null, accentColor: null });
    expect((await brandOf('admin@northwind.demo')).ownerId).toBeNull();
    expect((await brandOf('alice@northwind.demo')).ownerId).toBeNull();
    const acme = { ownerId: ids['reseller-acme'], name: 'Acme MSP', primaryColor: '#0b5cab', accentColor: '#f59e0b' };
    expect(await brandOf('admin@acme.demo')).toMatchObject(acme);
    expect(await brandOf('architect@acme.demo')).toMatchObject(acme);
    expect(await brandOf('user@umbrella.demo')).toMatchObject(acme);
    // A sub-reseller's users and clients see the sub-reseller (unbranded here), never its parent's brand.
    expect(await brandOf('admin@acme-edge.demo')).toEqual({
      ownerId: ids['reseller-acme-edge'],
      name: 'Acme Edge (sub-reseller)',
      logoUrl: null,
      primaryColor: null,
      accentColor: null,
    });
    // The same below a fixture chain (seeded parties keep their counts for other files).
    const top = await createPartner(h, { kind: 'reseller', parentId: ids['operator'], role: 'reseller-admin' });
    const sub = await createPartner(h, { kind: 'reseller', parentId: top.party.id, role: 'reseller-admin' });
    const client = await createPartner(h, { kind: 'client', parentId: sub.party.id, role: 'client-user' });
    expect((await brandOf(client.adminEmail, FIXTURE_PASSWORD)).ownerId).toBe(sub.party.id);
    expect((await brandOf(top.adminEmail, FIXTURE_PASSWORD)).ownerId).toBe(top.party.id);
    await h.http.get('/branding').expect(401);
  });

  it('documents /branding but not the portal’s own routes', async () => {
    const doc = await h.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toContain('/branding');
    expect(Object.keys(doc.body.paths).some((path) => path.startsWith('/portal'))).toBe(false);
  });
});
