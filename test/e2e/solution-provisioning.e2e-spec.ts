import { EntityManager } from '@mikro-orm/postgresql';
import { provisioningWorkflowId } from '@wholesail/contracts';
import { hypervisorName } from '@wholesail/domain';
import { Party } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { createPartner, FIXTURE_PASSWORD } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { Govc } from '../support/hypervisors';
import { testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * From approval to running VMs, through the real API, worker and vcsim: an architect of a reseller
 * of its own designs two VMs on one network for its client and submits; the client accepts from its
 * inbox; the approved version is planned from its design and provisioned by a workflow of its own
 * on the stack's demo vSphere host (the one host that offers the Linux template), and govc sees the
 * two VMs powered on.
 */
describe('an approved solution is provisioned (e2e)', () => {
  jest.setTimeout(180_000);
  let h: Harness;
  let govc: Govc;
  const tokens: Record<'architect' | 'client' | 'operator', string> = {} as never;
  const auth = (who: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[who]}` });
  let clientId: string;

  beforeAll(async () => {
    const vsphere = testStack().vsphere;
    if (!vsphere) throw new Error('the test stack has no vcsim: npm test installs it (scripts/ensure-go-tool.sh)');
    govc = new Govc(vsphere);
    h = await startHarness();
    tokens.operator = await h.login('admin@wholesail.demo');
    const operator = await h.app.get(EntityManager).fork().findOneOrFail(Party, { kind: 'operator' });
    const reseller = await createPartner(h, { kind: 'reseller', parentId: operator.id, role: 'architect' });
    const client = await createPartner(h, { kind: 'client', parentId: reseller.party.id, role: 'client-user' });
    clientId = client.party.id;
    // The reseller's prices to its clients, from now: what the design's quote is priced with.
    await h.http
      .post('/price-books')
      .set(auth('operator'))
      .send({ resellerId: reseller.party.id, audience: 'clients', defaultUpliftPercent: '25' })
      .expect(201);
    tokens.architect = await h.login(reseller.adminEmail, FIXTURE_PASSWORD);
    tokens.client = await h.login(client.adminEmail, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('starts the approved version’s provisioning, which builds it on vcsim', async () => {
    const name = `Shop ${randomUUID().slice(0, 8)}`;
    const solution = await h.http.post('/solutions').set(auth('architect')).send({ clientId, name }).expect(201);
    const solutionId = solution.body.id as string;
    const vm = (id: string) => ({ id, name: id, template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 2, networks: ['lan'] });
    const graph = { vms: [vm('web'), vm('db')], networks: [{ id: 'lan', name: 'LAN', cidr: '10.0.1.0/24' }], volumes: [], publicIps: [] };
    const saved = await h.http.post(`/solutions/${solutionId}/versions`).set(auth('architect')).send({ graph }).expect(201);
    expect(saved.body.check).toMatchObject({ problems: [], quoteError: null, unpriced: [], valid: true });
    await h.http.post(`/solutions/${solutionId}/versions/1/submissions`).set(auth('architect')).expect(202);

    // Below the operator's thresholds: the client's acceptance approves it.
    const workflowId = `solution-approval:${solutionId}`;
    const task = await waitFor(async () => {
      const inbox = await h.http
        .get(`/approvals/tasks?workflowId=${encodeURIComponent(workflowId)}`)
        .set(auth('client'))
        .expect(200);
      return (inbox.body.items as { id: string; stepKey: string }[]).find((t) => t.stepKey === 'client');
    });
    await h.http
      .post(`/approvals/tasks/${encodeURIComponent(task.id)}/decisions`)
      .set(auth('client'))
      .send({ decision: 'approve' })
      .expect(200);
    const version = await waitFor(async () => {
      const res = await h.http.get(`/solutions/${solutionId}/versions/1`).set(auth('architect')).expect(200);
      return res.body.status === 'approved' ? res.body : undefined;
    });

    // The approval started the version's provisioning; the client follows it to the end.
    const progress = await waitFor(
      async () => {
        const res = await h.http.get(`/environments/${solutionId}/progress`).set(auth('client'));
        if (res.status === 404) return undefined;
        expect(res.status).toBe(200);
        return res.body.running ? undefined : res.body;
      },
      150_000,
      250,
    );
    expect(progress).toMatchObject({
      workflowId: provisioningWorkflowId(solutionId, version.id),
      state: 'running',
      operation: 'provision',
      phase: 'done',
      error: null,
    });
    const environment = (await h.http.get(`/environments/${solutionId}`).set(auth('operator')).expect(200)).body;
    expect(environment).toMatchObject({ solutionId, clientId, state: 'running', designVersionId: version.id, host: { kind: 'vsphere' } });

    // vSphere's own view: both VMs of the design, powered on, 1 vCPU and 1 GB each.
    for (const key of ['web', 'db']) {
      expect(await govc.vm(hypervisorName(solutionId, 'vm', key))).toMatchObject({
        runtime: { powerState: 'poweredOn' },
        config: { hardware: { numCPU: 1, memoryMB: 1024 } },
      });
    }
  });
});
