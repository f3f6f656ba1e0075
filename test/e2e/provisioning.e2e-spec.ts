import { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowFailedError } from '@temporalio/client';
import { provisioningWorkflowId, type ProvisioningPlan } from '@wholesail/contracts';
import { hypervisorName, resourceName } from '@wholesail/domain';
import { VsphereDriver } from '@wholesail/hypervisors';
import { Environment, Party, ResourceEvent } from '@wholesail/persistence';
import { startProvisioning } from '@wholesail/provisioning';
import { TemporalConnectionHolder } from '@wholesail/temporal';
import { randomUUID } from 'node:crypto';
import { createClientChannel, createPartner } from '../support/fixtures';
import { linuxVm, testPlan } from '../support/plans';
import { startHarness, type Harness } from '../support/harness';
import { Govc, vcsimConfig, vcsimHostBody } from '../support/hypervisors';
import { testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * The provisioning workflows end to end on vcsim: the environments API over HTTP, the worker running
 * the saga against a vCenter simulator, the inventory checked with govc (vSphere's own CLI), the
 * capacity through the hosts API, usage in the resource events, tenancy on every read. The worker
 * of this file injects one failure (PROVISIONING_FAULTS, honoured under NODE_ENV=test only): the
 * clone of any VM keyed `back` fails after the clone was made.
 */
describe('provisioning on vcsim (e2e)', () => {
  // Workflows with real hypervisor calls on a shared 2-core machine: generous, never a speed target.
  jest.setTimeout(180_000);
  let h: Harness;
  let govc: Govc;
  const run = randomUUID().slice(0, 8);
  /** The template SKU of this file's plans and hosts (see testPlan). */
  const templateSku = `TPL-${run}`;
  const tag = `prov-${run}`;
  let vc: { url: string; username: string; password: string };
  const token: Record<'operator' | 'reseller' | 'client' | 'sibling' | 'distributor', string> = {} as never;
  const auth = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });
  let client: Party;
  let reseller: Party;
  let hostId: string;

  beforeAll(async () => {
    const vsphere = testStack().vsphere;
    if (!vsphere) throw new Error('the test stack has no vcsim: npm test installs it (scripts/ensure-go-tool.sh)');
    vc = vsphere;
    govc = new Govc(vc);
    h = await startHarness({ env: { PROVISIONING_FAULTS: 'createEnvironmentVm:back:fail-after' } });
    const { distributor, reseller: own, client: customer } = await createClientChannel(h);
    const sibling = await createPartner(h, { kind: 'reseller', parentId: distributor.party.id, role: 'reseller-admin' });
    reseller = own.party;
    client = customer.party;
    token.operator = await h.login('admin@wholesail.demo');
    token.reseller = await h.login(own.adminEmail, 'fixture-password-1');
    token.sibling = await h.login(sibling.adminEmail, 'fixture-password-1');
    token.client = await h.login(customer.adminEmail, 'fixture-password-1');
    token.distributor = await h.login(distributor.adminEmail, 'fixture-password-1');

    const host = await h.http
      .post('/hosts')
      .set(auth('operator'))
      .send(vcsimHostBody(vc, `vcsim-prov-${run}`, { capacity: { vcpu: 8, ramGb: 8, storageGb: 40 }, tags: [tag] }))
      .expect(201);
    hostId = host.body.id;
  });

  /**
   * A template of its own for each test, offered as the Linux template item. vcsim has none, and
   * its clones share their template's disk file, which destroying a clone deletes; real vCenters
   * copy disks, so a template outlives its clones there.
   */
  beforeEach(async () => {
    const template = `tpl-prov-${randomUUID().slice(0, 8)}`;
    const fixture = new VsphereDriver(vcsimConfig(vc));
    await fixture.ensureTemplate({ name: template, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
    await fixture.close();
    await h.http
      .patch(`/hosts/${hostId}`)
      .set(auth('operator'))
      .send({ templates: { [templateSku]: template } })
      .expect(200);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A design of `vms` (1 vCPU, 1 GB, 2 GB disk each, billed per SKU) on one network, placed on this file's host. */
  const planOf = (vms: string[], options: { tags?: string[] } = {}): ProvisioningPlan =>
    testPlan(
      { clientId: client.id, resellerId: reseller.id },
      { template: templateSku, tags: options.tags ?? [tag], vms: vms.map((key) => linuxVm(key, { diskGb: 2 })) },
    );

  /** The solution's VMs in vCenter's inventory (their names start with `ws-<solution>-`). */
  const ours = async (solutionId: string) => (await govc.ls('/DC0/vm')).filter((path) => path.startsWith(`/DC0/vm/${resourceName('ws', solutionId)}-`));
  const hostReserved = async () => (await h.http.get(`/hosts/${hostId}`).set(auth('operator')).expect(200)).body.reserved;
  /** Polls the progress view until the workflow has claimed the environment (404 before) and its operation has finished. */
  const finished = (solutionId: string, workflowId: string, who: keyof typeof token = 'operator') =>
    waitFor(
      async () => {
        const response = await h.http.get(`/environments/${solutionId}/progress`).set(auth(who));
        if (response.status === 404) return undefined;
        expect(response.status).toBe(200);
        return response.body.running || response.body.workflowId !== workflowId ? undefined : response.body;
      },
      120_000,
      250,
    );

  it('provisions two VMs on one network, shows them to the client and its reseller only, and deprovisions them; govc sees each step', async () => {
    const plan = planOf(['web', 'db']);
    const { solutionId } = plan;
    const started = await h.http.post(`/environments/${solutionId}/provisionings`).set(auth('operator')).send({ plan }).expect(202);
    expect(started.body).toEqual({
      solutionId,
      workflowId: provisioningWorkflowId(solutionId, plan.designVersionId),
      started: true,
      progressUrl: `/environments/${solutionId}/progress`,
    });
    // The portal polls this while it runs; it ends with every step done.
    const progress = await finished(solutionId, started.body.workflowId);
    expect(progress).toMatchObject({ state: 'running', operation: 'provision', phase: 'done', stepsTotal: 7, stepsDone: 7, error: null });
    expect(progress.steps.map((step: { step: string }) => step.step).sort()).toEqual(
      ['place', 'network:lan', 'vm:web:create', 'vm:web:power-on', 'vm:db:create', 'vm:db:power-on', 'record'].sort(),
    );

    // vSphere's own view: two powered-on VMs of 1 vCPU / 1 GB with a 2 GB disk, both on the environment's port group.
    const names = ['web', 'db'].map((key) => hypervisorName(solutionId, 'vm', key));
    expect((await ours(solutionId)).sort()).toEqual(names.map((name) => `/DC0/vm/${name}`).sort());
    expect(await govc.ls('/DC0/network')).toContain(`/DC0/network/${hypervisorName(solutionId, 'network', 'lan')}`);
    for (const name of names) {
      expect(await govc.vm(name)).toMatchObject({ runtime: { powerState: 'poweredOn' }, config: { hardware: { numCPU: 1, memoryMB: 1024 } } });
    }
    expect((await govc.vm(names[0]))?.network).toEqual((await govc.vm(names[1]))?.network);
    expect(await hostReserved()).toEqual({ vcpu: 2, ramGb: 2, storageGb: 4 });

    // The environment with each resource's hypervisor id and the VMs' live state from vcsim.
    const view = (await h.http.get(`/environments/${solutionId}`).set(auth('reseller')).expect(200)).body;
    expect(view).toMatchObject({ solutionId, clientId: client.id, resellerId: reseller.id, state: 'running', designVersionId: plan.designVersionId });
    expect(view.host).toBeUndefined(); // hosts are the operator's business
    const web = view.resources.find((r: { key: string }) => r.key === 'web');
    expect(web).toMatchObject({
      kind: 'vm',
      state: 'running',
      hypervisorName: names[0],
      hypervisorId: expect.stringMatching(/^vm-/),
      vcpus: 1,
      ramGb: 1,
      diskGb: 2,
    });
    expect(web.live).toMatchObject({ power: 'on', vcpus: 1, ramGb: 1, diskGb: 2, networks: [hypervisorName(solutionId, 'network', 'lan')] });
    expect((await govc.vm(names[0]))?.name).toBe(names[0]);
    expect((await h.http.get(`/environments/${solutionId}`).set(auth('operator')).expect(200)).body.host).toMatchObject({ id: hostId, kind: 'vsphere' });
    expect((await h.http.get(`/environments/${solutionId}?live=false`).set(auth('client')).expect(200)).body.resources[0].live).toBeUndefined();

    // Tenancy: another reseller and the distributor above see nothing; the client cannot deprovision.
    await h.http.get(`/environments/${solutionId}`).set(auth('sibling')).expect(404);
    await h.http.get(`/environments/${solutionId}/progress`).set(auth('distributor')).expect(404);
    expect((await h.http.get('/environments').set(auth('distributor')).expect(200)).body.meta.total).toBe(0);
    expect((await h.http.get('/environments').set(auth('sibling')).expect(200)).body.items).toEqual([]);
    expect(
      (await h.http.get(`/environments?clientId=${client.id}`).set(auth('client')).expect(200)).body.items.map((e: { solutionId: string }) => e.solutionId),
    ).toContain(solutionId);
    await h.http.post(`/environments/${solutionId}/deprovisionings`).set(auth('client')).send({}).expect(403);
    await h.http.post(`/environments/${solutionId}/deprovisionings`).set(auth('sibling')).send({}).expect(404);

    // Usage: a start per SKU of each VM at its power-on instant, recorded by the workflow.
    const em = h.app.get(EntityManager).fork();
    const starts = await em.find(ResourceEvent, { resourceId: { $like: `${solutionId}:%` } }, { orderBy: { resourceId: 'asc' } });
    expect(starts.map((e) => `${e.resourceId.slice(solutionId.length + 1)} ${e.kind} ${Number(e.quantity)}`)).toEqual([
      'vm:db:RAM-GB start 1',
      'vm:db:STORAGE-SSD-GB start 2',
      'vm:db:VCPU start 1',
      'vm:db:VM-LINUX start 1',
      'vm:web:RAM-GB start 1',
      'vm:web:STORAGE-SSD-GB start 2',
      'vm:web:VCPU start 1',
      'vm:web:VM-LINUX start 1',
    ]);
    expect(new Set(starts.map((e) => e.client.id))).toEqual(new Set([client.id]));

    // The reseller takes it down: VMs and network gone from vcsim, capacity back, usage stopped.
    const down = await h.http.post(`/environments/${solutionId}/deprovisionings`).set(auth('reseller')).send({ reason: 'contract ended' }).expect(202);
    expect(down.body.workflowId).toBe(`deprovisioning:${solutionId}:g1`);
    expect(await finished(solutionId, down.body.workflowId, 'client')).toMatchObject({
      state: 'deprovisioned',
      operation: 'deprovision',
      stepsDone: 5,
      stepsTotal: 5,
    });
    expect(await ours(solutionId)).toEqual([]);
    expect(await govc.ls('/DC0/network')).not.toContain(`/DC0/network/${hypervisorName(solutionId, 'network', 'lan')}`);
    expect(await hostReserved()).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    const stops = await em.fork().find(ResourceEvent, { resourceId: { $like: `${solutionId}:%` }, kind: 'stop' });
    expect(stops).toHaveLength(8);
    const after = (await h.http.get(`/environments/${solutionId}`).set(auth('reseller')).expect(200)).body;
    expect(after.resources.map((r: { state: string }) => r.state)).toEqual(['destroyed', 'destroyed', 'destroyed']);
  });

  it('refuses a malformed plan with the field, and a plan for another client’s reseller', async () => {
    const plan = planOf(['web']);
    const bad = { ...plan, vms: [{ ...plan.vms[0], vcpus: 0, networks: ['wan'] }] };
    const refused = await h.http.post(`/environments/${plan.solutionId}/provisionings`).set(auth('operator')).send({ plan: bad }).expect(400);
    expect(refused.body).toMatchObject({ code: 'PROVISIONING_INVALID_PLAN' });
    expect(refused.body.fields.map((f: { field: string }) => f.field)).toEqual(['plan.vms[web].vcpus', 'plan.vms[web].networks[0]']);
    const foreign = await h.http
      .post(`/environments/${plan.solutionId}/provisionings`)
      .set(auth('operator'))
      .send({ plan: { ...plan, resellerId: randomUUID() } })
      .expect(400);
    expect(foreign.body.fields).toEqual([{ field: 'plan.resellerId', problem: "is not the client's reseller" }]);
    await h.http.post(`/environments/${plan.solutionId}/provisionings`).set(auth('reseller')).send({ plan }).expect(403);
    await h.http.get(`/environments/${plan.solutionId}`).set(auth('operator')).expect(404);
  });

  it('a failure at the second VM leaves nothing behind on vcsim and releases the capacity', async () => {
    const plan = planOf(['front', 'back']);
    const { solutionId } = plan;
    const client_ = h.app.get(TemporalConnectionHolder).client;
    await startProvisioning(client_, h.env.TEMPORAL_TASK_QUEUE, plan, 'user:e2e');
    const failed = await client_.workflow
      .getHandle(provisioningWorkflowId(solutionId, plan.designVersionId))
      .result()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect((failed as WorkflowFailedError).cause).toMatchObject({ type: 'PROVISIONING_INJECTED_FAULT' });

    const progress = (await h.http.get(`/environments/${solutionId}/progress`).set(auth('reseller')).expect(200)).body;
    expect(progress).toMatchObject({ state: 'failed', phase: 'failed', running: false, error: { code: 'PROVISIONING_INJECTED_FAULT' } });
    const outcomes = progress.steps.map((step: { step: string; status: string }) => `${step.step}=${step.status}`);
    expect(outcomes).toEqual(
      expect.arrayContaining(['vm:back:create=failed', 'vm:back:create=undone', 'vm:front:create=undone', 'network:lan=undone', 'place=undone']),
    );
    // The clone of back was made before it failed: the undo removed it, and front, and the network.
    expect(await ours(solutionId)).toEqual([]);
    expect(await govc.ls('/DC0/network')).not.toContain(`/DC0/network/${hypervisorName(solutionId, 'network', 'lan')}`);
    expect(await hostReserved()).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    const em = h.app.get(EntityManager).fork();
    expect(await em.findOneOrFail(Environment, { solutionId })).toMatchObject({ state: 'failed', errorCode: 'PROVISIONING_INJECTED_FAULT' });
    // Whatever had started billing was stopped.
    const events = await em.find(ResourceEvent, { resourceId: { $like: `${solutionId}:%` } });
    expect(events.filter((e) => e.kind === 'start').length).toBe(events.filter((e) => e.kind === 'stop').length);
  });

  it('twenty concurrent provisionings against room for fifteen: fifteen run, five fail cleanly naming what ran out, capacity adds up', async () => {
    const raceTag = `race-${run}`;
    const host = await h.http
      .post('/hosts')
      .set(auth('operator'))
      .send(vcsimHostBody(vc, `vcsim-race-${run}`, { capacity: { vcpu: 15, ramGb: 15, storageGb: 15 }, tags: [raceTag] }))
      .expect(201);
    const raceTemplate = `tpl-race-${run}`;
    const fixture = new VsphereDriver(vcsimConfig(vc));
    await fixture.ensureTemplate({ name: raceTemplate, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
    await fixture.close();
    await h.http
      .patch(`/hosts/${host.body.id}`)
      .set(auth('operator'))
      .send({ templates: { [templateSku]: raceTemplate } })
      .expect(200);

    const temporal = h.app.get(TemporalConnectionHolder).client;
    // Each a design of one VM of 1 vCPU, 1 GB RAM and 1 GB disk: fifteen fit.
    const plans = Array.from({ length: 20 }, () =>
      testPlan(
        { clientId: client.id, resellerId: reseller.id },
        { template: templateSku, tags: [raceTag], vms: [linuxVm('app', { billing: [{ sku: 'VCPU', quantity: '1' }] })] },
      ),
    );
    await Promise.all(plans.map((plan) => startProvisioning(temporal, h.env.TEMPORAL_TASK_QUEUE, plan, 'user:e2e')));
    const outcomes = await Promise.allSettled(
      plans.map((plan) => temporal.workflow.getHandle(provisioningWorkflowId(plan.solutionId, plan.designVersionId)).result()),
    );
    const running = plans.filter((_, i) => outcomes[i].status === 'fulfilled');
    const refused = plans.filter((_, i) => outcomes[i].status === 'rejected');
    expect(running).toHaveLength(15);
    expect(refused).toHaveLength(5);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') expect(outcome.value).toMatchObject({ status: 'running', hostId: host.body.id });
      else {
        expect(outcome.reason).toBeInstanceOf(WorkflowFailedError);
        expect(outcome.reason.cause).toMatchObject({ type: 'HOST_CAPACITY_EXHAUSTED' });
        expect(outcome.reason.cause.message).toContain('1 vCPU needed, 0 free');
      }
    }
    // vCenter holds exactly the fifteen that got capacity, powered on; the refused made nothing.
    const vms = (await govc.ls('/DC0/vm')).filter((path) => plans.some((plan) => path.startsWith(`/DC0/vm/${resourceName('ws', plan.solutionId)}-`)));
    expect(vms.sort()).toEqual(running.map((plan) => `/DC0/vm/${hypervisorName(plan.solutionId, 'vm', 'app')}`).sort());
    const hostView = (await h.http.get(`/hosts/${host.body.id}`).set(auth('operator')).expect(200)).body;
    expect(hostView).toMatchObject({ reserved: { vcpu: 15, ramGb: 15, storageGb: 15 }, free: { vcpu: 0, ramGb: 0, storageGb: 0 } });
    const held = (await h.http.get(`/hosts/${host.body.id}/reservations`).set(auth('operator')).expect(200)).body as { key: string; state: string }[];
    expect(held.map((r) => r.key).sort()).toEqual(running.map((plan) => `environment:${plan.solutionId}:1`).sort());
    expect(new Set(held.map((r) => r.state))).toEqual(new Set(['committed']));
    const em = h.app.get(EntityManager).fork();
    for (const plan of refused) {
      expect(await em.findOneOrFail(Environment, { solutionId: plan.solutionId })).toMatchObject({ state: 'failed', errorCode: 'HOST_CAPACITY_EXHAUSTED' });
    }

    // Taken down together: everything goes and the host is empty again.
    const downs = await Promise.all(
      running.map((plan) => h.http.post(`/environments/${plan.solutionId}/deprovisionings`).set(auth('reseller')).send({}).expect(202)),
    );
    await Promise.all(downs.map((down) => temporal.workflow.getHandle(down.body.workflowId).result()));
    expect((await govc.ls('/DC0/vm')).filter((path) => vms.includes(path))).toEqual([]);
    expect((await h.http.get(`/hosts/${host.body.id}`).set(auth('operator')).expect(200)).body.reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
  }, 300_000);
});
