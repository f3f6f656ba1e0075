import { provisioningWorkflowId, type ProvisioningPlan } from '@wholesail/contracts';
import { hypervisorName } from '@wholesail/domain';
import { startDeprovisioning, startProvisioning } from '@wholesail/provisioning';
import { TemporalConnectionHolder } from '@wholesail/temporal';
import { randomUUID } from 'node:crypto';
import { createClientChannel } from '../support/fixtures';
import { linuxVm, testPlan } from '../support/plans';
import { startHarness, type Harness } from '../support/harness';
import { bridgePorts, defineQemuTemplate, domainTaps, ensureLibvirt, lines, virsh } from '../support/hypervisors';

/**
 * The provisioning workflow on a real libvirtd running QEMU guests: two VMs on one network, one of
 * them with a second network and a data disk (the attach step), powered on; then deprovisioned.
 * Each state is checked with a separate virsh process (libvirt's own view) and the host bridge's
 * ports (a running guest has its tap device there).
 */
describe('provisioning on libvirt with QEMU (e2e)', () => {
  jest.setTimeout(240_000);
  let h: Harness;
  let uri: string;
  let removeTemplate: (() => Promise<void>) | undefined;
  let plan: ProvisioningPlan;
  let hostId: string;
  let token: string;
  const run = randomUUID().slice(0, 8);
  /** The template SKU of this file's plans and hosts (see testPlan). */
  const templateSku = `TPL-${run}`;
  const pool = `ws-prov-${run}`;
  const template = `tpl-prov-${run}`;
  const bridge = process.env.LIBVIRT_BRIDGE ?? 'wsbr0';

  beforeAll(async () => {
    uri = ensureLibvirt();
    h = await startHarness();
    token = await h.login('admin@wholesail.demo');
    const { reseller, client } = await createClientChannel(h);
    removeTemplate = await defineQemuTemplate(uri, { pool, template, bridge });
    const host = await h.http
      .post('/hosts')
      .set('authorization', `Bearer ${token}`)
      .send({
        name: `libvirt-prov-${run}`,
        kind: 'libvirt',
        uri,
        network: bridge,
        capacity: { vcpu: 4, ramGb: 4, storageGb: 16 },
        tags: [`qemu-${run}`],
        templates: { [templateSku]: template },
      })
      .expect(201);
    hostId = host.body.id;
    plan = testPlan(
      { clientId: client.party.id, resellerId: reseller.party.id },
      {
        template: templateSku,
        tags: [`qemu-${run}`],
        networks: [
          { key: 'lan', name: 'LAN', cidr: '10.40.0.0/24' },
          { key: 'mgmt', name: 'Management', cidr: '10.41.0.0/24' },
        ],
        vms: [linuxVm('web'), linuxVm('db', { networks: ['lan', 'mgmt'] })],
        volumes: [{ key: 'data', name: 'Data', vm: 'db', sizeGb: 1, billing: [{ sku: 'STORAGE-SSD-GB', quantity: '1' }] }],
      },
    );
  });

  afterAll(async () => {
    for (const key of ['web', 'db']) await virsh(uri, 'destroy', hypervisorName(plan.solutionId, 'vm', key)).catch(() => undefined);
    for (const key of ['web', 'db']) await virsh(uri, 'undefine', hypervisorName(plan.solutionId, 'vm', key)).catch(() => undefined);
    await removeTemplate?.();
    await h?.close();
  });

  const prefix = () => hypervisorName(plan.solutionId, 'vm', 'x').replace(/-x$/, '-');
  const domains = async (...flags: string[]) => lines(await virsh(uri, 'list', '--name', ...flags)).filter((name) => name.startsWith(prefix()));
  const networks = async () => lines(await virsh(uri, 'net-list', '--all', '--name')).filter((name) => name.startsWith(prefix()));
  const reserved = async () => (await h.http.get(`/hosts/${hostId}`).set('authorization', `Bearer ${token}`).expect(200)).body.reserved;

  it('provisions two QEMU guests on one network (one with a second network and a data disk) and deprovisions them, as virsh sees it', async () => {
    const temporal = h.app.get(TemporalConnectionHolder).client;
    await startProvisioning(temporal, h.env.TEMPORAL_TASK_QUEUE, plan, 'user:e2e');
    expect(await temporal.workflow.getHandle(provisioningWorkflowId(plan.solutionId, plan.designVersionId)).result()).toMatchObject({
      status: 'running',
      hostId,
    });

    const [web, db] = ['web', 'db'].map((key) => hypervisorName(plan.solutionId, 'vm', key));
    const [lan, mgmt] = ['lan', 'mgmt'].map((key) => hypervisorName(plan.solutionId, 'network', key));
    expect((await domains()).sort()).toEqual([web, db].sort()); // running
    expect((await networks()).sort()).toEqual([lan, mgmt].sort());
    expect(lines(await virsh(uri, 'domiflist', web)).join('\n')).toContain(lan);
    const dbNics = lines(await virsh(uri, 'domiflist', db)).join('\n');
    expect(dbNics).toContain(lan);
    expect(dbNics).toContain(mgmt);
    expect(await virsh(uri, 'dominfo', db)).toMatch(/CPU\(s\):\s+1[\s\S]*Max memory:\s+1048576 KiB/);
    expect(await virsh(uri, 'vol-info', `${db}.vda.img`, '--pool', pool, '--bytes')).toMatch(/Capacity:\s+1073741824 bytes/);
    expect(await virsh(uri, 'vol-info', `${db}.vdb.img`, '--pool', pool, '--bytes')).toMatch(/Capacity:\s+1073741824 bytes/);
    // Each running guest's NICs are tap devices on the host bridge: web's one, db's two.
    const tapsOf = [...(await domainTaps(uri, web)), ...(await domainTaps(uri, db))];
    expect(tapsOf).toHaveLength(3);
    expect(await bridgePorts(bridge)).toEqual(expect.arrayContaining(tapsOf));
    expect(await reserved()).toEqual({ vcpu: 2, ramGb: 2, storageGb: 3 });

    const view = (await h.http.get(`/environments/${plan.solutionId}`).set('authorization', `Bearer ${token}`).expect(200)).body;
    expect(view.resources.find((r: { key: string }) => r.key === 'db')).toMatchObject({
      state: 'running',
      hypervisorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      live: { power: 'on', vcpus: 1, ramGb: 1, diskGb: 1, dataDisksGb: [1], networks: [lan, mgmt].sort() },
    });
    expect(view.resources.find((r: { key: string }) => r.key === 'data')).toMatchObject({ kind: 'volume', state: 'running', vmKey: 'db', diskGb: 1 });

    const down = await startDeprovisioning(temporal, h.env.TEMPORAL_TASK_QUEUE, { solutionId: plan.solutionId, requestedBy: 'user:e2e' }, 'e2e');
    expect(await temporal.workflow.getHandle(down.workflowId).result()).toMatchObject({ status: 'deprovisioned' });
    expect(await domains('--all')).toEqual([]);
    expect(await networks()).toEqual([]);
    expect(lines(await virsh(uri, 'vol-list', pool)).filter((line) => line.startsWith(prefix()))).toEqual([]);
    expect((await bridgePorts(bridge)).filter((port) => tapsOf.includes(port))).toEqual([]);
    expect(await reserved()).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
  });
});
