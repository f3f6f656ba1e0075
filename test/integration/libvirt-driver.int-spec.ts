import { LibvirtDriver, parseXml } from '@wholesail/hypervisors';

/**
 * The libvirt driver through virsh against libvirt's built-in test driver (`test:///default`: no
 * daemon, state held by the one connection the driver keeps open). The inventory is read back with
 * raw virsh commands on that same connection, the only place the test driver's state lives.
 */
describe('LibvirtDriver on test:///default (integration)', () => {
  let driver: LibvirtDriver;
  const TEMPLATE = 'tpl-tiny';
  const virsh = (...args: string[]) => driver.run(args);
  const names = async (...args: string[]) =>
    (await virsh(...args))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);

  beforeAll(async () => {
    driver = new LibvirtDriver({ uri: 'test:///default', bridge: 'wsbr0' });
    // The template: a 1 GiB volume in the test driver's pool and a domain marked as a template.
    await virsh('vol-create-as', 'default-pool', 'tpl-tiny.img', '1G', '--format', 'raw');
    await driver.defineXml(`<domain type='test'><name>${TEMPLATE}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type>hvm</type></os>
      <metadata><wholesail:vm xmlns:wholesail="urn:wholesail:hypervisors:1" template="true"/></metadata>
      <devices><disk type='volume' device='disk'><source pool='default-pool' volume='tpl-tiny.img'/><target dev='vda' bus='virtio'/></disk>
      <interface type='network'><source network='default'/><mac address='52:54:00:00:00:01'/></interface></devices></domain>`);
  });

  afterAll(async () => {
    await driver?.close();
  });

  it('provisions two VMs on one bridge-mode network, runs their lifecycle and deprovisions, as virsh sees it', async () => {
    const network = await driver.createNetwork({ name: 'env-a-net' });
    expect(network).toMatchObject({ name: 'env-a-net', active: true });
    const xml = parseXml(await virsh('net-dumpxml', 'env-a-net'));
    expect(xml.child('forward')?.attr('mode')).toBe('bridge');
    expect(xml.child('bridge')?.attr('name')).toBe('wsbr0');
    expect(await driver.createNetwork({ name: 'env-a-net' })).toEqual(network);
    expect(await names('net-list', '--name')).toEqual(['default', 'env-a-net']);

    const specs = ['web-1', 'db-1'].map((name) => ({
      name: `env-a-${name}`,
      template: TEMPLATE,
      network: 'env-a-net',
      vcpu: 2,
      memoryMiB: 64,
      labels: { environment: 'env-a', resource: name },
    }));
    const created = [];
    for (const spec of specs) created.push(await driver.createVmFromTemplate(spec));
    for (const [index, vm] of created.entries()) {
      expect(vm).toMatchObject({
        name: specs[index].name,
        power: 'off',
        vcpu: 2,
        memoryMiB: 64,
        diskGb: 1,
        networks: ['env-a-net'],
        template: false,
        labels: specs[index].labels,
      });
      const domain = parseXml(await virsh('dumpxml', specs[index].name, '--inactive'));
      expect(domain.textAt('uuid')).not.toBe(parseXml(await virsh('dumpxml', TEMPLATE)).textAt('uuid'));
      expect(domain.at('devices', 'interface', 'source')?.attr('network')).toBe('env-a-net');
      expect(domain.at('devices', 'interface', 'mac')?.attr('address')).not.toBe('52:54:00:00:00:01');
      expect(domain.at('devices', 'disk', 'source')?.attr('volume')).toBe(`${specs[index].name}.vda.img`);
    }
    expect(await names('vol-list', 'default-pool')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^env-a-web-1\.vda\.img /), expect.stringMatching(/^env-a-db-1\.vda\.img /)]),
    );
    expect((await driver.createVmFromTemplate(specs[0])).id).toBe(created[0].id);
    expect((await names('list', '--all', '--name')).filter((name) => name.startsWith('env-a-'))).toEqual(['env-a-db-1', 'env-a-web-1']);

    expect(await driver.powerOn(specs[0].name)).toMatchObject({ power: 'on' });
    expect(await driver.powerOn(specs[0].name)).toMatchObject({ power: 'on' });
    expect((await virsh('domstate', specs[0].name)).trim()).toBe('running');
    await expect(driver.resize(specs[0].name, { vcpu: 4, memoryMiB: 128 })).rejects.toMatchObject({ code: 'HYPERVISOR_INVALID_STATE' });
    expect(await driver.powerOff(specs[0].name)).toMatchObject({ power: 'off' });
    expect((await virsh('domstate', specs[0].name)).trim()).toBe('shut off');
    expect(await driver.resize(specs[0].name, { vcpu: 4, memoryMiB: 128 })).toMatchObject({ vcpu: 4, memoryMiB: 128 });
    expect(await virsh('dominfo', specs[0].name)).toMatch(/CPU\(s\):\s+4[\s\S]*Max memory:\s+131072 KiB/);

    const inventory = await driver.list();
    expect(inventory.vms.filter((vm) => vm.labels.environment === 'env-a').map((vm) => vm.name)).toEqual(['env-a-db-1', 'env-a-web-1']);
    expect(inventory.vms.find((vm) => vm.name === TEMPLATE)).toMatchObject({ template: true });

    await driver.powerOn(specs[1].name);
    for (const spec of specs) await driver.destroyVm(spec.name);
    for (const spec of specs) await driver.destroyVm(spec.name);
    expect((await names('list', '--all', '--name')).filter((name) => name.startsWith('env-a-'))).toEqual([]);
    expect((await names('vol-list', 'default-pool')).filter((line) => line.startsWith('env-a-'))).toEqual([]);
    expect(await names('vol-list', 'default-pool')).toEqual(expect.arrayContaining([expect.stringMatching(/^tpl-tiny\.img /)]));
    await driver.destroyNetwork('env-a-net');
    await driver.destroyNetwork('env-a-net');
    expect(await names('net-list', '--all', '--name')).toEqual(['default']);
  });

  it('sweeps the volume of a create that died before its definition', async () => {
    await driver.createNetwork({ name: 'env-b-net' });
    await virsh('vol-clone', 'tpl-tiny.img', 'env-b-app.vda.img', '--pool', 'default-pool');
    // The retried create reuses the copy it finds …
    await driver.createVmFromTemplate({ name: 'env-b-app', template: TEMPLATE, network: 'env-b-net', vcpu: 1, memoryMiB: 32 });
    expect((await names('vol-list', 'default-pool')).filter((line) => line.startsWith('env-b-app.'))).toHaveLength(1);
    await driver.destroyVm('env-b-app');
    // … and a destroy of a VM that never got defined still removes its leftover volume.
    await virsh('vol-clone', 'tpl-tiny.img', 'env-b-ghost.vda.img', '--pool', 'default-pool');
    await driver.destroyVm('env-b-ghost');
    expect((await names('vol-list', 'default-pool')).filter((line) => line.startsWith('env-b-'))).toEqual([]);
    await driver.destroyNetwork('env-b-net');
  });

  it('keeps hostile label text inert and refuses names before they reach virsh', async () => {
    await driver.createNetwork({ name: 'env-c-net' });
    const labels = { note: `</label></wholesail:vm><devices/> & 'quotes' "too"` };
    const vm = await driver.createVmFromTemplate({ name: 'env-c-app', template: TEMPLATE, network: 'env-c-net', vcpu: 1, memoryMiB: 32, labels });
    expect(vm.labels).toEqual(labels);
    expect(parseXml(await virsh('dumpxml', 'env-c-app')).all('devices')).toHaveLength(1);
    for (const name of ["x'; destroy test; echo '", 'x y', 'X', 'a/b']) {
      await expect(driver.createVmFromTemplate({ name, template: TEMPLATE, network: 'env-c-net', vcpu: 1, memoryMiB: 32 })).rejects.toMatchObject({
        code: 'HYPERVISOR_INVALID_REQUEST',
      });
    }
    await expect(
      driver.createVmFromTemplate({ name: 'env-c-x', template: TEMPLATE, network: 'env-c-net', vcpu: 1, memoryMiB: 32, labels: { 'bad key': 'v' } }),
    ).rejects.toMatchObject({
      code: 'HYPERVISOR_INVALID_REQUEST',
    });
    expect((await virsh('domstate', 'test')).trim()).toBe('running');
    await driver.destroyVm('env-c-app');
    await driver.destroyNetwork('env-c-net');
  });

  it('maps libvirt errors to domain errors', async () => {
    await expect(driver.powerOn('no-such-vm')).rejects.toMatchObject({ code: 'HYPERVISOR_NOT_FOUND', retryable: false });
    await expect(driver.createVmFromTemplate({ name: 'x-1', template: 'no-such-template', network: 'default', vcpu: 1, memoryMiB: 32 })).rejects.toMatchObject({
      code: 'HYPERVISOR_NOT_FOUND',
    });
    await expect(driver.createVmFromTemplate({ name: 'x-2', template: TEMPLATE, network: 'no-such-net', vcpu: 1, memoryMiB: 32 })).rejects.toMatchObject({
      code: 'HYPERVISOR_NOT_FOUND',
    });
    await expect(driver.createVmFromTemplate({ name: 'x-3', template: TEMPLATE, network: 'default', vcpu: 1, memoryMiB: 32, diskGb: 2 })).rejects.toMatchObject(
      {
        code: 'HYPERVISOR_UNSUPPORTED', // the test driver cannot resize volumes; the real one can (e2e)
      },
    );
    await driver.destroyVm('x-3'); // the saga's undo: sweeps the copied volume
    expect((await names('vol-list', 'default-pool')).filter((line) => line.startsWith('x-3.'))).toEqual([]);
    await expect(virsh('start', 'no-such-vm')).rejects.toMatchObject({ code: 'HYPERVISOR_NOT_FOUND' });
    await expect(virsh('start', 'test')).rejects.toMatchObject({ code: 'HYPERVISOR_INVALID_STATE' });
    const nowhere = new LibvirtDriver({ uri: 'qemu+unix:///system?socket=/nonexistent/libvirt-sock', bridge: 'wsbr0' });
    await expect(nowhere.check()).rejects.toMatchObject({ code: 'HYPERVISOR_UNREACHABLE', retryable: true });
    await nowhere.close();
  });

  it('reports the library and hypervisor', async () => {
    const report = await driver.check();
    expect(report.product).toMatch(/^libvirt \d+\.\d+\.\d+, TEST/);
    expect(report.checked).toEqual(['connection test:///default']);
  });
});
