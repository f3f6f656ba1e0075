import { isDomainError, resourceName } from '@wholesail/domain';
import { HypervisorDrivers, PlacementService, VsphereDriver, type HypervisorDriver } from '@wholesail/hypervisors';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { bridgePorts, defineQemuTemplate, domainTaps, ensureLibvirt, Govc, govcDiskGb, lines, vcsimConfig, vcsimHostBody, virsh } from '../support/hypervisors';
import { testStack } from '../support/stack';

/**
 * Hosts, placement and drivers end to end: a host registered over the API, capacity reserved by
 * the placement service, networks and VMs made by the host's driver (built from the stored record,
 * password opened with SECRETS_KEY), each step checked in the hypervisor's own inventory — govc for
 * vcsim, a separate virsh process and the host's bridge for a real libvirtd running QEMU guests.
 * The provisioning workflow (a later issue) will run these same steps as activities.
 */
describe('provisioning on hypervisors (e2e)', () => {
  let h: Harness;
  let token: string;
  const run = randomUUID().slice(0, 6);

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    token = await h.login('admin@wholesail.demo');
  });

  afterAll(async () => {
    await h?.close();
  });

  const registerHost = async (body: Record<string, unknown>): Promise<string> => {
    const response = await h.http.post('/hosts').set('authorization', `Bearer ${token}`).send(body).expect(201);
    return response.body.id as string;
  };
  const hostView = async (id: string) => (await h.http.get(`/hosts/${id}`).set('authorization', `Bearer ${token}`).expect(200)).body;

  /** Reserve, create the VM on the network, power it on, commit: the steps of one resource. */
  const provision = async (driver: HypervisorDriver, hostId: string, vm: { name: string; template: string; network: string; diskGb?: number }) => {
    const placement = h.app.get(PlacementService);
    const reservation = await placement.reserve({ key: `e2e-${run}:${hostId}:${vm.name}`, need: { vcpu: 1, ramGb: 1, storageGb: 1 }, hostId });
    const created = await driver.createVmFromTemplate({ ...vm, vcpu: 1, memoryMiB: 32, labels: { run, reservation: reservation.key } });
    const on = await driver.powerOn(created.name);
    await placement.commit(reservation.key);
    return on;
  };
  const deprovision = async (driver: HypervisorDriver, hostId: string, name: string) => {
    await driver.destroyVm(name);
    await h.app.get(PlacementService).release(`e2e-${run}:${hostId}:${name}`);
  };

  describe('on vcsim (vSphere)', () => {
    let govc: Govc;
    let hostId: string;
    let driver: HypervisorDriver;
    const template = `tpl-${run}`;
    const network = resourceName('e2e', run, 'net');

    beforeAll(async () => {
      const vc = testStack().vsphere;
      if (!vc) throw new Error('the test stack has no vcsim: npm test installs it (scripts/ensure-go-tool.sh)');
      govc = new Govc(vc);
      hostId = await registerHost(vcsimHostBody(vc, `vcsim-e2e-${run}`, { capacity: { vcpu: 15, ramGb: 15, storageGb: 15 }, tags: [`e2e-${run}`] }));
      driver = await h.app.get(HypervisorDrivers).forHost(hostId);
      // The template fixture (vcsim has none): CreateVM_Task + MarkAsTemplate through the same host's client.
      const fixture = new VsphereDriver(vcsimConfig(vc));
      await fixture.ensureTemplate({ name: template, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
      await fixture.close();
    });

    afterAll(async () => {
      await driver?.destroyVm(template).catch(() => undefined);
    });

    const ours = async () => (await govc.ls('/DC0/vm')).filter((path) => path.includes(`/e2e-${run}-`));

    it('provisions two VMs on one network and deprovisions them, checking vcsim’s inventory each time', async () => {
      expect((await h.http.post(`/hosts/${hostId}/check`).set('authorization', `Bearer ${token}`).expect(200)).body).toMatchObject({ ok: true });
      await driver.createNetwork({ name: network, labels: { run } });
      expect(await govc.ls('/DC0/network')).toContain(`/DC0/network/${network}`);
      const names = ['web', 'db'].map((role) => resourceName('e2e', run, role));
      const vms = await Promise.all(names.map((name) => provision(driver, hostId, { name, template, network, diskGb: 2 })));
      expect(vms.map((vm) => vm.power)).toEqual(['on', 'on']);
      expect((await ours()).sort()).toEqual(names.map((name) => `/DC0/vm/${name}`).sort());
      for (const name of names) {
        const seen = await govc.vm(name);
        expect(seen).toMatchObject({ runtime: { powerState: 'poweredOn' }, config: { hardware: { numCPU: 1, memoryMB: 32 } } });
        expect(govcDiskGb(seen!)).toBe(2);
        expect(seen?.network).toHaveLength(1);
      }
      expect((await govc.vm(names[0]))?.network).toEqual((await govc.vm(names[1]))?.network);
      expect((await hostView(hostId)).reserved).toEqual({ vcpu: 2, ramGb: 2, storageGb: 2 });

      for (const name of names) await deprovision(driver, hostId, name);
      await driver.destroyNetwork(network);
      expect(await ours()).toEqual([]);
      expect(await govc.ls('/DC0/network')).not.toContain(`/DC0/network/${network}`);
      expect((await hostView(hostId)).reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    });

    it('twenty concurrent provisionings against room for fifteen: fifteen VMs, five clean refusals, capacity adds up', async () => {
      await driver.createNetwork({ name: network });
      const names = Array.from({ length: 20 }, (_, index) => resourceName('e2e', run, `app-${index}`));
      const outcomes = await Promise.allSettled(names.map((name) => provision(driver, hostId, { name, template, network })));
      const succeeded = names.filter((_, index) => outcomes[index].status === 'fulfilled');
      const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected').map((outcome) => outcome.reason);
      expect(succeeded).toHaveLength(15);
      expect(refused).toHaveLength(5);
      for (const reason of refused) {
        expect(isDomainError(reason) && reason.code).toBe('HOST_CAPACITY_EXHAUSTED');
        expect(reason.message).toContain('1 vCPU needed, 0 free');
      }
      // Exactly the fifteen that got capacity exist in vSphere, powered on; the refused made nothing.
      expect((await ours()).sort()).toEqual(succeeded.map((name) => `/DC0/vm/${name}`).sort());
      const host = await hostView(hostId);
      expect(host.reserved).toEqual({ vcpu: 15, ramGb: 15, storageGb: 15 });
      expect(host.free).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
      const held = (await h.http.get(`/hosts/${hostId}/reservations`).set('authorization', `Bearer ${token}`).expect(200)).body as {
        key: string;
        state: string;
      }[];
      expect(held.map((reservation) => reservation.key).sort()).toEqual(succeeded.map((name) => `e2e-${run}:${hostId}:${name}`).sort());
      expect(new Set(held.map((reservation) => reservation.state))).toEqual(new Set(['committed']));

      await Promise.all(succeeded.map((name) => deprovision(driver, hostId, name)));
      await driver.destroyNetwork(network);
      expect(await ours()).toEqual([]);
      expect((await hostView(hostId)).reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    });
  });

  describe('on a real libvirtd with QEMU guests', () => {
    let uri: string;
    let hostId: string;
    let driver: HypervisorDriver;
    let removeTemplate: (() => Promise<void>) | undefined;
    const pool = `ws-e2e-${run}`;
    const template = `tpl-${run}`;
    const network = resourceName('e2e', run, 'lan');
    const bridge = process.env.LIBVIRT_BRIDGE ?? 'wsbr0';

    beforeAll(async () => {
      uri = ensureLibvirt();
      hostId = await registerHost({ name: `libvirt-e2e-${run}`, kind: 'libvirt', uri, network: bridge, capacity: { vcpu: 4, ramGb: 4, storageGb: 8 } });
      driver = await h.app.get(HypervisorDrivers).forHost(hostId);
      removeTemplate = await defineQemuTemplate(uri, { pool, template, bridge });
    });

    afterAll(async () => {
      for (const name of ['web', 'db'].map((role) => resourceName('e2e', run, role))) await driver?.destroyVm(name).catch(() => undefined);
      await driver?.destroyNetwork(network).catch(() => undefined);
      await removeTemplate?.();
    });

    const domains = async (...flags: string[]) => lines(await virsh(uri, 'list', '--name', ...flags)).filter((name) => name.startsWith(`e2e-${run}-`));

    it('provisions two QEMU guests on one bridge network, resizes and deprovisions them, checking virsh and the bridge', async () => {
      const check = (await h.http.post(`/hosts/${hostId}/check`).set('authorization', `Bearer ${token}`).expect(200)).body;
      expect(check).toMatchObject({ ok: true, product: expect.stringMatching(/libvirt .*QEMU/) });

      await driver.createNetwork({ name: network });
      expect(lines(await virsh(uri, 'net-list', '--name'))).toContain(network);
      const names = ['web', 'db'].map((role) => resourceName('e2e', run, role));
      for (const name of names) await provision(driver, hostId, { name, template, network, diskGb: 1 });
      expect((await domains()).sort()).toEqual([...names].sort()); // running
      for (const name of names) {
        expect(lines(await virsh(uri, 'domiflist', name)).join('\n')).toContain(network);
        expect(await virsh(uri, 'vol-info', `${name}.vda.img`, '--pool', pool, '--bytes')).toMatch(/Capacity:\s+1073741824 bytes/);
      }
      // Each running guest has its tap device on the host bridge.
      const tapsOf = async () => (await Promise.all(names.map((name) => domainTaps(uri, name)))).flat();
      const running = await tapsOf();
      expect(running).toHaveLength(2);
      expect(await bridgePorts(bridge)).toEqual(expect.arrayContaining(running));
      expect((await hostView(hostId)).reserved).toEqual({ vcpu: 2, ramGb: 2, storageGb: 2 });

      await expect(driver.resize(names[0], { vcpu: 2, memoryMiB: 48 })).rejects.toMatchObject({ code: 'HYPERVISOR_INVALID_STATE' });
      await driver.powerOff(names[0]);
      expect(await domains()).toEqual([names[1]]);
      expect(await driver.resize(names[0], { vcpu: 2, memoryMiB: 48, diskGb: 2 })).toMatchObject({ vcpu: 2, memoryMiB: 48, diskGb: 2 });
      expect(await virsh(uri, 'dominfo', names[0])).toMatch(/CPU\(s\):\s+2[\s\S]*Max memory:\s+49152 KiB/);
      expect(await virsh(uri, 'vol-info', `${names[0]}.vda.img`, '--pool', pool, '--bytes')).toMatch(/Capacity:\s+2147483648 bytes/);
      expect(await driver.powerOn(names[0])).toMatchObject({ power: 'on', vcpu: 2 });
      expect((await domains()).sort()).toEqual([...names].sort());
      const taps = [...running, ...(await tapsOf())]; // powered on again, web may have a new tap

      for (const name of names) await deprovision(driver, hostId, name);
      await driver.destroyNetwork(network);
      expect(await domains('--all')).toEqual([]);
      expect(lines(await virsh(uri, 'net-list', '--all', '--name'))).not.toContain(network);
      expect(lines(await virsh(uri, 'vol-list', pool)).filter((line) => line.startsWith(`e2e-${run}-`))).toEqual([]);
      expect((await bridgePorts(bridge)).filter((port) => taps.includes(port))).toEqual([]);
      expect((await hostView(hostId)).reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    });
  });
});
