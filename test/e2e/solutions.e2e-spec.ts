import { MailInboxClient, type CaughtMessage } from '@wholesail/devstack';
import { randomUUID } from 'node:crypto';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * Solution designs end to end over HTTP: an architect designs two VMs on one network, sees the
 * problems of a broken design, saves and submits; the client user accepts from its inbox; the
 * operator approves because the design is above the vCPU threshold; the solution is approved and
 * the architect e-mailed. Changes requested loop back to the architect and a new version resumes
 * the same case. Distributors and other resellers get 404; the share link shows the map only.
 */
describe('solution designs and approval (e2e)', () => {
  let h: Harness;
  let mail: MailInboxClient;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    h = await startHarness({ env: { PUBLIC_URL: 'http://wholesail.test' } });
    mail = new MailInboxClient(testStack().mailApiUrl);
    for (const [who, email] of Object.entries({
      architect: 'architect@acme.demo',
      acmeAdmin: 'admin@acme.demo',
      operator: 'admin@wholesail.demo',
      client: 'user@umbrella.demo',
      distributor: 'admin@northwind.demo',
      agent: 'alice@northwind.demo',
      edge: 'admin@acme-edge.demo',
    })) {
      tokens[who] = await h.login(email);
    }
    const parties = await h.http.get('/parties?pageSize=200').set(auth('operator')).expect(200);
    for (const party of parties.body.items as { code: string; id: string }[]) ids[party.code] = party.id;
    // Another reseller with an architect of its own.
    const other = await createPartner(h, { kind: 'reseller', parentId: ids['operator'], role: 'architect' });
    tokens.otherArchitect = await h.login(other.adminEmail, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await h?.close();
  });

  const vm = (id: string, vcpus: number, networks: string[]) => ({ id, name: `Web ${id}`, template: 'VM-LINUX', vcpus, ramGb: 8, diskGb: 50, networks });
  const design = (vcpus: number) => ({
    vms: [vm('web-1', vcpus, ['lan']), vm('web-2', vcpus, ['lan'])],
    networks: [{ id: 'lan', name: 'Front <LAN>', cidr: '10.0.1.0/24' }],
    volumes: [],
    publicIps: [{ id: 'ip-1', vm: 'web-1' }],
  });

  async function newSolution(name: string): Promise<string> {
    const created = await h.http.post('/solutions').set(auth('architect')).send({ clientId: ids['client-umbrella'], name }).expect(201);
    expect(created.body).toMatchObject({ name, clientId: ids['client-umbrella'], clientName: 'Umbrella Corp', status: 'draft', latestVersion: 0, round: 0 });
    return created.body.id as string;
  }

  async function taskFor(who: string, workflowId: string, stepKey: string, round = 1) {
    return waitFor(async () => {
      const inbox = await h.http
        .get(`/approvals/tasks?workflowId=${encodeURIComponent(workflowId)}`)
        .set(auth(who))
        .expect(200);
      return (inbox.body.items as { id: string; stepKey: string; round: number; title: string; canDecide: boolean; subject: { url: string } }[]).find(
        (t) => t.stepKey === stepKey && t.round === round,
      );
    }, 30_000);
  }

  const decide = (who: string, taskId: string, decision: string, comment?: string) =>
    h.http
      .post(`/approvals/tasks/${encodeURIComponent(taskId)}/decisions`)
      .set(auth(who))
      .send({ decision, ...(comment ? { comment } : {}) });

  const statusOf = (solutionId: string, status: string) =>
    waitFor(async () => {
      const res = await h.http.get(`/solutions/${solutionId}`).set(auth('architect')).expect(200);
      return res.body.status === status ? res.body : undefined;
    }, 30_000);

  it('designs, checks, saves, submits; the client accepts, the operator approves above the threshold', async () => {
    const id = await newSolution(`Web shop ${tag}`);
    await h.http
      .post('/solutions')
      .set(auth('architect'))
      .send({ clientId: ids['client-umbrella'], name: `WEB SHOP ${tag}` })
      .expect(409);

    // A broken design: one VM on no network, overlapping networks, a template size exceeded.
    const broken = design(2);
    broken.vms[1].networks = [];
    broken.vms[0].vcpus = 64;
    broken.networks.push({ id: 'dmz', name: 'DMZ', cidr: '10.0.0.0/16' });
    const checked = await h.http.post(`/solutions/${id}/checks`).set(auth('architect')).send({ graph: broken }).expect(200);
    expect(checked.body.valid).toBe(false);
    expect(checked.body.problems).toEqual([
      { field: 'vms[web-1].vcpus', problem: '64 is more than the 32 vCPUs VM-LINUX (Linux VM template) allows: size it down or choose a larger template' },
      { field: 'vms[web-2].networks', problem: 'is empty: connect the VM to at least one network' },
      { field: 'networks[dmz].cidr', problem: '10.0.0.0/16 overlaps network lan (10.0.1.0/24): give each network its own range' },
    ]);
    const malformed = await h.http
      .post(`/solutions/${id}/checks`)
      .set(auth('architect'))
      .send({ graph: { vms: [{ id: 'web-1', vcpus: '2' }] } })
      .expect(200);
    expect(malformed.body).toMatchObject({ valid: false, totals: null, quote: null });
    expect(malformed.body.problems).toContainEqual({ field: 'vms[web-1].vcpus', problem: 'must be a whole number from 1 to 1000000' });

    // The sound design: 2 × 17 vCPUs is above the default threshold of 32.
    const good = await h.http
      .post(`/solutions/${id}/checks`)
      .set(auth('architect'))
      .send({ graph: design(17) })
      .expect(200);
    expect(good.body).toMatchObject({ valid: true, problems: [], totals: { vms: 2, vcpus: 34, ramGb: 16, storageGb: 100, publicIps: 1 }, quoteError: null });
    expect(good.body.quote).toMatchObject({ view: 'reseller', currency: 'EUR', viewerId: ids['reseller-acme'] });
    expect(good.body.quote.wholesaleTotal).toBeUndefined();
    expect(good.body.billOfMaterials).toContainEqual({ sku: 'VCPU', quantity: '17', ref: 'vms[web-1].vcpus' });
    // Umbrella's negotiated vCPU price (14.50) applies: 34 × 14.50 = 493.00 of the total.
    expect(good.body.quote.lines.find((l: { ref: string }) => l.ref === 'vms[web-1].vcpus')).toMatchObject({ unitPrice: '14.50', amount: '246.50' });

    const bad = await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('architect'))
      .send({ graph: { vms: 'none' } })
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'DESIGN_INVALID_GRAPH', fields: [{ field: 'vms', problem: 'must be a list' }] });
    const saved = await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('architect'))
      .send({ graph: design(17), note: 'first cut' })
      .expect(201);
    expect(saved.body).toMatchObject({ version: 1, status: 'draft', note: 'first cut', authorEmail: 'architect@acme.demo', check: { valid: true } });
    expect(saved.body.graph).toEqual(design(17));

    // The client may look but not write; a parent's view is read-only too.
    await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('client'))
      .send({ graph: design(1) })
      .expect(403);
    await h.http.post(`/solutions/${id}/versions/1/submissions`).set(auth('operator')).expect(403);

    const submitted = await h.http.post(`/solutions/${id}/versions/1/submissions`).set(auth('architect')).expect(202);
    expect(submitted.body).toMatchObject({
      solutionId: id,
      workflowId: `solution-approval:${id}`,
      versionNo: 1,
      round: 1,
      status: 'validating',
      case: 'started',
    });
    const again = await h.http.post(`/solutions/${id}/versions/1/submissions`).set(auth('architect')).expect(409);
    expect(again.body.code).toMatch(/^(SOLUTION_NOT_SUBMITTABLE|DESIGN_VERSION_NOT_SUBMITTABLE)$/);

    // The client user accepts from its inbox; the operator sees nothing to decide yet.
    const clientTask = await taskFor('client', `solution-approval:${id}`, 'client');
    expect(clientTask).toMatchObject({
      canDecide: true,
      title: `Accept the solution design Web shop ${tag} (version 1)`,
      subject: { url: `/solutions/${id}/versions/1` },
    });
    await h.http.get(clientTask.subject.url).set(auth('client')).expect(200);
    await decide('operator', clientTask.id, 'approve').expect(403);
    await decide('client', clientTask.id, 'approve').expect(200);

    const operatorTask = await taskFor('operator', `solution-approval:${id}`, 'operator');
    expect(await statusOf(id, 'awaiting-operator')).toMatchObject({ currentVersion: 1 });
    await decide('operator', operatorTask.id, 'approve', 'capacity reserved').expect(200);

    const approved = await statusOf(id, 'approved');
    expect(approved).toMatchObject({ approvedVersion: 1, currentVersion: 1, round: 1, changesRequested: null });
    const version = await h.http.get(`/solutions/${id}/versions/1`).set(auth('architect')).expect(200);
    expect(version.body).toMatchObject({ status: 'approved', round: 1, vcpus: 34, currency: 'EUR', quote: { view: 'reseller' } });
    expect(version.body.monthlyTotal).toMatch(/^\d+\.\d{2}$/);
    const asClient = await h.http.get(`/solutions/${id}/versions/1`).set(auth('client')).expect(200);
    expect(asClient.body.quote.view).toBe('client');
    expect(asClient.body.quote.own).toBeUndefined();

    const approvedMail = await mail.waitFor(
      (m: CaughtMessage) => m.to.includes('architect@acme.demo') && m.subject === `Web shop ${tag} for Umbrella Corp is approved`,
      20_000,
    );
    expect(approvedMail.text).toContain(`http://wholesail.test/solutions/${id}`);

    // Nobody outside the tenancy learns it exists.
    await h.http.get(`/solutions/${id}`).set(auth('distributor')).expect(404);
    await h.http.get(`/solutions/${id}/versions/1/map`).set(auth('agent')).expect(404);
    const distributorList = await h.http.get('/solutions').set(auth('distributor')).expect(200);
    expect(distributorList.body.items).toEqual([]);
    await h.http.get(`/solutions/${id}`).set(auth('otherArchitect')).expect(404);
    await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('otherArchitect'))
      .send({ graph: design(1) })
      .expect(404);
    await h.http.get(`/solutions/${id}`).set(auth('edge')).expect(404); // a sub-reseller does not see its parent's clients
    const clientList = await h.http.get('/solutions').set(auth('client')).expect(200);
    expect(clientList.body.items.map((s: { id: string }) => s.id)).toContain(id);
    const byClient = await h.http.get(`/solutions?clientId=${ids['client-umbrella']}&status=approved&pageSize=200`).set(auth('architect')).expect(200);
    expect(byClient.body.items.map((s: { id: string }) => s.id)).toContain(id);
    const elsewhere = await h.http.get(`/solutions?clientId=${ids['client-hooli']}`).set(auth('client')).expect(200);
    expect(elsewhere.body.items).toEqual([]);
  });

  it('changes requested go back to the architect with the comment; a new version resumes the same case', async () => {
    const id = await newSolution(`Intranet ${tag}`);
    await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('architect'))
      .send({ graph: design(1) })
      .expect(201);
    await h.http.post(`/solutions/${id}/versions/1/submissions`).set(auth('architect')).expect(202);
    const first = await taskFor('client', `solution-approval:${id}`, 'client', 1);
    await decide('client', first.id, 'request-changes', 'please add a database server').expect(200);

    const sentBack = await statusOf(id, 'changes-requested');
    expect(sentBack.changesRequested).toMatchObject({
      comment: 'please add a database server',
      stepKey: 'client',
      by: expect.any(String),
      respondBy: expect.any(String),
    });
    const versions = await h.http.get(`/solutions/${id}/versions`).set(auth('architect')).expect(200);
    expect(versions.body.items[0]).toMatchObject({ version: 1, status: 'changes-requested' });
    await mail.waitFor(
      (m: CaughtMessage) => m.to.includes('architect@acme.demo') && m.subject === `Changes requested to Intranet ${tag} for Umbrella Corp`,
      20_000,
    );

    const v2 = design(1);
    v2.vms.push({ id: 'db-1', name: 'Database', template: 'VM-LINUX', vcpus: 2, ramGb: 16, diskGb: 100, networks: ['lan'] });
    await h.http.post(`/solutions/${id}/versions`).set(auth('architect')).send({ graph: v2, note: 'database added' }).expect(201);
    const resumed = await h.http.post(`/solutions/${id}/versions/2/submissions`).set(auth('architect')).expect(202);
    expect(resumed.body).toMatchObject({ case: 'resumed', round: 2, versionNo: 2 });

    const second = await taskFor('client', `solution-approval:${id}`, 'client', 2);
    expect(second.id).not.toBe(first.id);
    await decide('client', second.id, 'approve').expect(200);
    expect(await statusOf(id, 'approved')).toMatchObject({ approvedVersion: 2, round: 2 });
    const after = await h.http.get(`/solutions/${id}/versions`).set(auth('architect')).expect(200);
    expect(after.body.items.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'approved'],
      [1, 'changes-requested'],
    ]);
  });

  it('refuses to submit a version with problems, naming them, and lets the architect withdraw', async () => {
    const id = await newSolution(`Lab ${tag}`);
    const broken = design(1);
    broken.vms[0].networks = ['nowhere'];
    const saved = await h.http.post(`/solutions/${id}/versions`).set(auth('architect')).send({ graph: broken }).expect(201);
    expect(saved.body.check.problems).toEqual([
      { field: 'vms[web-1].networks', problem: '"nowhere" is not a network of this design: add it or remove the link' },
    ]);
    const refused = await h.http.post(`/solutions/${id}/versions/1/submissions`).set(auth('architect')).expect(400);
    expect(refused.body).toMatchObject({ code: 'DESIGN_HAS_PROBLEMS', fields: [{ field: 'vms[web-1].networks' }] });

    await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('architect'))
      .send({ graph: design(1) })
      .expect(201);
    await h.http.post(`/solutions/${id}/versions/2/submissions`).set(auth('architect')).expect(202);
    const task = await taskFor('client', `solution-approval:${id}`, 'client');
    const withdrawn = await h.http.post(`/solutions/${id}/withdrawals`).set(auth('architect')).send({ reason: 'client on holiday' }).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', reason: 'client on holiday' });
    await decide('client', task.id, 'approve').expect(409);
    expect(await statusOf(id, 'withdrawn')).toMatchObject({ statusReason: 'client on holiday' });
    const twice = await h.http.post(`/solutions/${id}/withdrawals`).set(auth('architect')).send({}).expect(409);
    expect(twice.body.code).toBe('SOLUTION_NOT_WITHDRAWABLE');
  });

  it('applies the reseller’s policy: items it does not sell, and only the operator sets the operator’s part', async () => {
    const acme = ids['reseller-acme'];
    const policy = await h.http.get(`/solution-policies/${acme}`).set(auth('architect')).expect(200);
    expect(policy.body).toMatchObject({ resellerId: acme, clientAcceptance: { mode: 'any' }, operatorApproval: { vcpusAbove: 32 } });
    const forbidden = await h.http
      .patch(`/solution-policies/${acme}`)
      .set(auth('acmeAdmin'))
      .send({ operatorApproval: { monthlyTotalAbove: null, vcpusAbove: null, mode: 'any' } })
      .expect(403);
    expect(forbidden.body.fields).toEqual([{ field: 'operatorApproval', problem: 'is set by the operator' }]);
    const unknown = await h.http
      .patch(`/solution-policies/${acme}`)
      .set(auth('acmeAdmin'))
      .send({ notSold: ['NOPE'] })
      .expect(400);
    expect(unknown.body.fields).toEqual([{ field: 'notSold[0]', problem: '"NOPE" is not in the catalog' }]);
    const number = await h.http
      .patch(`/solution-policies/${acme}`)
      .set(auth('operator'))
      .send({ operatorApproval: { monthlyTotalAbove: 1000, vcpusAbove: 32, mode: 'any' } })
      .expect(400);
    expect(number.body.fields[0].field).toBe('operatorApproval.monthlyTotalAbove');
    await h.http.get(`/solution-policies/${acme}`).set(auth('distributor')).expect(404);

    const id = await newSolution(`Licensed ${tag}`);
    const windows = design(1);
    windows.vms[0] = { ...windows.vms[0], template: 'VM-WINDOWS', osLicence: 'LIC-WIN-STD' } as (typeof windows.vms)[0];
    await h.http
      .patch(`/solution-policies/${acme}`)
      .set(auth('acmeAdmin'))
      .send({ notSold: ['LIC-WIN-STD'] })
      .expect(200);
    try {
      const checked = await h.http.post(`/solutions/${id}/checks`).set(auth('architect')).send({ graph: windows }).expect(200);
      expect(checked.body.problems).toEqual([
        { field: 'vms[web-1].osLicence', problem: 'LIC-WIN-STD (Windows Server Standard licence) is not sold by Acme MSP: choose another item' },
      ]);
      expect(checked.body.unpriced).toEqual(['vms[web-1].osLicence']);
    } finally {
      await h.http.patch(`/solution-policies/${acme}`).set(auth('acmeAdmin')).send({ notSold: [] }).expect(200);
    }
    const fine = await h.http.post(`/solutions/${id}/checks`).set(auth('architect')).send({ graph: windows }).expect(200);
    expect(fine.body.valid).toBe(true);
  });

  it('shares a version’s network map through a link that shows the map and nothing else', async () => {
    const id = await newSolution(`Shared ${tag}`);
    await h.http
      .post(`/solutions/${id}/versions`)
      .set(auth('architect'))
      .send({ graph: design(2) })
      .expect(201);

    const map = await h.http.get(`/solutions/${id}/versions/1/map`).set(auth('client')).expect(200);
    expect(map.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    const svg = map.body.toString();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(`<title id="map-title">Shared ${tag}, version 1</title>`);
    expect(svg).toContain('Front &lt;LAN&gt;');
    const again = await h.http.get(`/solutions/${id}/versions/1/map`).set(auth('architect')).expect(200);
    expect(again.body.toString()).toBe(svg);

    await h.http.post(`/solutions/${id}/versions/1/share-links`).set(auth('client')).send({}).expect(403);
    const link = await h.http.post(`/solutions/${id}/versions/1/share-links`).set(auth('architect')).send({ expiresInHours: 48 }).expect(201);
    expect(link.body.url).toMatch(/^http:\/\/wholesail\.test\/shared\/designs\/[0-9a-f-]{36}\.[\w-]+$/);
    const path = new URL(link.body.url).pathname;
    const shared = await h.http.get(path).expect(200); // no credentials
    expect(shared.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(shared.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(shared.body.toString()).toBe(svg);
    // Only the map: no prices, no ids of the solution, client or version.
    for (const hidden of ['EUR', id, ids['client-umbrella'], link.body.versionId]) expect(shared.body.toString()).not.toContain(hidden);

    const wrong = await h.http.get(`${path}x`).expect(404);
    expect(wrong.headers['content-type']).toMatch(/^application\/json/);
    await h.http.get(`/shared/designs/not-a-token`).expect(404);
    await h.http.post(`/solutions/${id}/versions/1/share-links/${link.body.id}/revocations`).set(auth('architect')).expect(200);
    const gone = await h.http.get(path).expect(404);
    expect(gone.body.code).toBe('DESIGN_SHARE_LINK_NOT_FOUND');
    const listed = await h.http.get(`/solutions/${id}/versions/1/share-links`).set(auth('architect')).expect(200);
    expect(listed.body[0]).toMatchObject({ id: link.body.id, revokedAt: expect.any(String) });
  });
});
