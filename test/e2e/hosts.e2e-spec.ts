import { EntityManager } from '@mikro-orm/postgresql';
import { PlacementService } from '@wholesail/hypervisors';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { Govc, vcsimHostBody } from '../support/hypervisors';
import { testStack } from '../support/stack';

/** The hosts API over HTTP: operator only, validation, secrets never returned, checks against vcsim. */
describe('hosts API (e2e)', () => {
  let h: Harness;
  const token: Record<'admin' | 'finance' | 'reseller', string> = {} as never;
  const run = randomUUID().slice(0, 8);
  const auth = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });
  const vc = () => {
    const vsphere = testStack().vsphere;
    if (!vsphere) throw new Error('the test stack has no vcsim: npm test installs it');
    return vsphere;
  };
  const vsphereBody = (name: string) => vcsimHostBody(vc(), name, { capacity: { vcpu: 32, ramGb: 128, storageGb: 2048 }, tags: ['ssd', 'eu-west'] });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    token.admin = await h.login('admin@wholesail.demo');
    token.finance = await h.login('finance@wholesail.demo');
    token.reseller = await h.login('admin@acme.demo');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('registers a vSphere host, never shows its password, and stores it sealed', async () => {
    const created = await h.http
      .post('/hosts')
      .set(auth('admin'))
      .send(vsphereBody(`vc-${run}`))
      .expect(201);
    expect(created.body).toMatchObject({
      name: `vc-${run}`,
      kind: 'vsphere',
      status: 'active',
      connection: {
        sdkUrl: vc().url,
        username: vc().username,
        datacenter: 'DC0',
        cluster: 'DC0_C0',
        datastore: 'LocalDS_0',
        network: 'DVS0',
        insecureTls: true,
        hasCaCertificate: false,
      },
      capacity: { vcpu: 32, ramGb: 128, storageGb: 2048 },
      reserved: { vcpu: 0, ramGb: 0, storageGb: 0 },
      free: { vcpu: 32, ramGb: 128, storageGb: 2048 },
      tags: ['eu-west', 'ssd'],
      lastCheck: null,
    });
    const id = created.body.id as string;
    const list = await h.http.get('/hosts').set(auth('admin')).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(vc().password);
    // No password field on this host's views (other files' hosts may carry a check message that
    // names the word, e.g. "set the password again").
    for (const view of [
      created.body,
      (await h.http.get(`/hosts/${id}`).set(auth('finance')).expect(200)).body,
      list.body.items.find((host: { id: string }) => host.id === id),
    ]) {
      expect(JSON.stringify(view)).not.toContain(vc().password);
      expect(JSON.stringify(view)).not.toMatch(/password/i);
    }
    const [row] = await h.app.get(EntityManager).fork().execute<{ password_sealed: string }[]>('select password_sealed from host where id = ?', [id]);
    expect(row.password_sealed).toMatch(/^v1\./);
    expect(row.password_sealed).not.toContain(vc().password);
  });

  it('checks a host by connecting, and reports refused credentials as a result', async () => {
    const id = (
      await h.http
        .post('/hosts')
        .set(auth('admin'))
        .send(vsphereBody(`vc-check-${run}`))
        .expect(201)
    ).body.id as string;
    const ok = await h.http.post(`/hosts/${id}/check`).set(auth('admin')).expect(200);
    expect(ok.body).toMatchObject({
      ok: true,
      product: expect.stringContaining('VMware vCenter Server'),
      checked: ['datacenter DC0', 'cluster DC0_C0', 'datastore LocalDS_0', 'distributed switch DVS0'],
    });
    expect(ok.body.vms).toBe((await new Govc(vc()).ls('/DC0/vm')).length);

    await h.http.patch(`/hosts/${id}`).set(auth('admin')).send({ password: 'wrong-password' }).expect(200);
    const refused = await h.http.post(`/hosts/${id}/check`).set(auth('admin')).expect(200);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'HYPERVISOR_AUTH_FAILED' } });
    expect((await h.http.get(`/hosts/${id}`).set(auth('admin')).expect(200)).body.lastCheck).toEqual(refused.body);

    await h.http.patch(`/hosts/${id}`).set(auth('admin')).send({ password: vc().password, datacenter: 'DC9' }).expect(200);
    expect((await h.http.post(`/hosts/${id}/check`).set(auth('admin')).expect(200)).body).toMatchObject({ ok: false, error: { code: 'HYPERVISOR_NOT_FOUND' } });
    await h.http.patch(`/hosts/${id}`).set(auth('admin')).send({ datacenter: 'DC0' }).expect(200);
    expect((await h.http.post(`/hosts/${id}/check`).set(auth('admin')).expect(200)).body).toMatchObject({ ok: true });
  });

  it('has the seeded demo hosts: vcsim with a template, and libvirt’s test driver', async () => {
    const list = await h.http.get('/hosts?tag=demo').set(auth('finance')).expect(200);
    const byName = Object.fromEntries((list.body.items as { name: string; id: string; kind: string }[]).map((host) => [host.name, host]));
    expect(byName['libvirt-test']).toMatchObject({ kind: 'libvirt', connection: { uri: 'test:///default', network: 'wsbr0' } });
    expect(byName['vcsim-dc0']).toMatchObject({ kind: 'vsphere', connection: { sdkUrl: vc().url } });
    expect((await h.http.post(`/hosts/${byName['libvirt-test'].id}/check`).set(auth('admin')).expect(200)).body).toMatchObject({
      ok: true,
      product: expect.stringContaining('TEST'),
    });
    expect((await h.http.post(`/hosts/${byName['vcsim-dc0'].id}/check`).set(auth('admin')).expect(200)).body).toMatchObject({ ok: true });
    expect((await new Govc(vc()).vm('tpl-tiny'))?.config.template).toBe(true);
  });

  it('changes capacity and tags, but never below what is reserved', async () => {
    const id = (
      await h.http
        .post('/hosts')
        .set(auth('admin'))
        .send({ name: `lv-${run}`, kind: 'libvirt', uri: 'test:///default', capacity: { vcpu: 8, ramGb: 16, storageGb: 100 } })
        .expect(201)
    ).body.id as string;
    await h.app.get(PlacementService).reserve({ key: `hosts-e2e-${run}`, need: { vcpu: 6, ramGb: 8, storageGb: 10 }, hostId: id });
    const refused = await h.http
      .patch(`/hosts/${id}`)
      .set(auth('admin'))
      .send({ capacity: { vcpu: 4 } })
      .expect(409);
    expect(refused.body).toMatchObject({
      code: 'HOST_CAPACITY_BELOW_RESERVED',
      fields: [{ field: 'capacity.vcpu', problem: 'must be at least 6, the amount reserved' }],
    });
    const changed = await h.http
      .patch(`/hosts/${id}`)
      .set(auth('admin'))
      .send({ capacity: { vcpu: 12 }, tags: ['gpu'], status: 'maintenance' })
      .expect(200);
    expect(changed.body).toMatchObject({
      capacity: { vcpu: 12, ramGb: 16, storageGb: 100 },
      reserved: { vcpu: 6, ramGb: 8, storageGb: 10 },
      free: { vcpu: 6, ramGb: 8, storageGb: 90 },
      tags: ['gpu'],
      status: 'maintenance',
    });
    const held = await h.http.get(`/hosts/${id}/reservations`).set(auth('finance')).expect(200);
    expect(held.body).toEqual([expect.objectContaining({ key: `hosts-e2e-${run}`, hostId: id, vcpu: 6, state: 'reserved' })]);
  });

  it('answers bad input with a 400 naming the field, and duplicates with a 409', async () => {
    const post = (body: object) => h.http.post('/hosts').set(auth('admin')).send(body);
    const libvirt = { name: `bad-${run}`, kind: 'libvirt', uri: 'qemu:///system', capacity: { vcpu: 1, ramGb: 1, storageGb: 1 } };
    expect((await post({ ...libvirt, capacity: undefined }).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [expect.objectContaining({ field: 'capacity' })],
    });
    expect((await post({ ...libvirt, capacity: { vcpu: '4', ramGb: 1, storageGb: 1 } }).expect(400)).body.fields).toEqual([
      expect.objectContaining({ field: 'capacity.vcpu' }),
    ]);
    expect((await post({ ...libvirt, capacity: { vcpu: -1, ramGb: 1, storageGb: 1 } }).expect(400)).body.fields).toEqual([
      expect.objectContaining({ field: 'capacity.vcpu' }),
    ]);
    expect((await post({ ...libvirt, colour: 'red' }).expect(400)).body.fields).toEqual([{ field: 'colour', problem: 'is not an allowed field' }]);
    expect((await post({ ...libvirt, kind: 'hyperv' }).expect(400)).body.fields).toEqual([expect.objectContaining({ field: 'kind' })]);
    expect((await post({ ...libvirt, sdkUrl: 'https://vc/sdk' }).expect(400)).body).toMatchObject({
      code: 'HOST_INVALID_CONNECTION',
      fields: [{ field: 'sdkUrl' }],
    });
    expect((await post({ ...libvirt, uri: 'not a uri' }).expect(400)).body).toMatchObject({ code: 'HOST_INVALID_CONNECTION', fields: [{ field: 'uri' }] });
    expect((await post({ ...libvirt, tags: ['Bad Tag'] }).expect(400)).body).toMatchObject({ code: 'HOST_INVALID_TAG', fields: [{ field: 'tags[0]' }] });
    expect((await post({ ...vsphereBody(`bad-vc-${run}`), password: undefined }).expect(400)).body).toMatchObject({
      code: 'HOST_INVALID_CONNECTION',
      fields: [{ field: 'password', problem: 'is required for a vsphere host' }],
    });
    expect((await post({ ...vsphereBody(`bad-vc-${run}`), sdkUrl: 'https://user:pw@vc/sdk' }).expect(400)).body).toMatchObject({
      fields: [{ field: 'sdkUrl' }],
    });
    expect((await h.http.get('/hosts').set(auth('admin')).query({ pageSize: 200 })).body.items.map((host: { name: string }) => host.name)).not.toContain(
      `bad-vc-${run}`,
    );

    await post({ ...libvirt, name: `dup-${run}` }).expect(201);
    expect((await post({ ...libvirt, name: `dup-${run}` }).expect(409)).body).toMatchObject({ code: 'HOST_NAME_TAKEN', fields: [{ field: 'name' }] });
    const id = (await h.http.get('/hosts').set(auth('admin')).query({ kind: 'libvirt', pageSize: 200 })).body.items.find(
      (host: { name: string }) => host.name === `dup-${run}`,
    ).id;
    expect((await h.http.patch(`/hosts/${id}`).set(auth('admin')).send({ password: 'x' }).expect(400)).body).toMatchObject({ fields: [{ field: 'password' }] });
  });

  it('is operator only: admins write, finance reads, everyone else is refused; unknown ids are 404', async () => {
    const body = { name: `roles-${run}`, kind: 'libvirt', uri: 'test:///default', capacity: { vcpu: 1, ramGb: 1, storageGb: 1 } };
    expect((await h.http.post('/hosts').set(auth('finance')).send(body).expect(403)).body.code).toBe('ROLE_REQUIRED');
    expect((await h.http.get('/hosts').set(auth('reseller')).expect(403)).body.code).toBe('ROLE_REQUIRED');
    await h.http.get('/hosts').expect(401);
    const id = (await h.http.post('/hosts').set(auth('admin')).send(body).expect(201)).body.id as string;
    await h.http.get(`/hosts/${id}`).set(auth('reseller')).expect(403);
    await h.http
      .patch(`/hosts/${id}`)
      .set(auth('finance'))
      .send({ tags: ['x'] })
      .expect(403);
    await h.http.post(`/hosts/${id}/check`).set(auth('finance')).expect(403);
    expect((await h.http.get(`/hosts/${randomUUID()}`).set(auth('admin')).expect(404)).body.code).toBe('HOST_NOT_FOUND');
    expect((await h.http.get('/hosts/not-a-uuid').set(auth('admin')).expect(404)).body.code).toBe('HOST_NOT_FOUND');
  });

  it('replays a POST retried with the same Idempotency-Key', async () => {
    const key = `hosts-${run}-idem`;
    const body = { name: `idem-${run}`, kind: 'libvirt', uri: 'test:///default', capacity: { vcpu: 1, ramGb: 1, storageGb: 1 } };
    const first = await h.http.post('/hosts').set(auth('admin')).set('idempotency-key', key).send(body).expect(201);
    const again = await h.http.post('/hosts').set(auth('admin')).set('idempotency-key', key).send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });
});
