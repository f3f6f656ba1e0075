import type { RunningVcsim } from '@wholesail/devstack';
import { findFreePort } from '@wholesail/devstack';
import { HypervisorError } from '@wholesail/domain';
import { VsphereDriver } from '@wholesail/hypervisors';
import { connect } from 'node:tls';
import { Govc, govcDiskGb, startTestVcsim, vcsimConfig } from '../support/hypervisors';

/** The PEM certificate a TLS endpoint presents (vcsim makes a self-signed one per start). */
function peerCertificate(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const der = socket.getPeerCertificate().raw;
      socket.end();
      resolve(`-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
    });
    socket.once('error', reject);
  });
}

/**
 * The vSphere driver against vcsim, VMware's simulator, over real HTTPS and SOAP. Every change is
 * checked in the simulator's inventory with govc, vSphere's own CLI, not through our client.
 */
describe('VsphereDriver on vcsim (integration)', () => {
  let vc: RunningVcsim;
  let govc: Govc;
  let driver: VsphereDriver;
  const TEMPLATE = 'tpl-tiny';

  beforeAll(async () => {
    vc = await startTestVcsim();
    govc = new Govc(vc);
    driver = new VsphereDriver(vcsimConfig(vc));
    // vcsim starts with no templates: CreateVM_Task with a disk and a NIC on "VM Network", then MarkAsTemplate.
    await driver.ensureTemplate({ name: TEMPLATE, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
  });

  afterAll(async () => {
    await driver?.close();
    await vc?.stop();
  });

  it('makes the template fixture with CreateVM_Task and MarkAsTemplate, idempotently', async () => {
    const template = await govc.vm(TEMPLATE);
    expect(template?.config.template).toBe(true);
    expect(template?.config.hardware.numCPU).toBe(1);
    expect(govcDiskGb(template!)).toBe(1);
    const again = await driver.ensureTemplate({ name: TEMPLATE, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
    expect(again).toMatchObject({ name: TEMPLATE, template: true, networks: ['VM Network'] });
    expect((await govc.ls('/DC0/vm')).filter((path) => path.endsWith(`/${TEMPLATE}`))).toHaveLength(1);
  });

  it('provisions two VMs on one new network, runs their lifecycle and deprovisions, as govc sees it', async () => {
    const network = await driver.createNetwork({ name: 'env-a-net', labels: { environment: 'env-a' } });
    expect(network).toMatchObject({ name: 'env-a-net', active: true });
    expect(await govc.ls('/DC0/network')).toContain('/DC0/network/env-a-net');
    // Idempotent: the same network, not a second one.
    expect(await driver.createNetwork({ name: 'env-a-net' })).toEqual(network);

    const specs = ['web-1', 'db-1'].map((name) => ({
      name: `env-a-${name}`,
      template: TEMPLATE,
      network: 'env-a-net',
      vcpu: 2,
      memoryMiB: 64,
      diskGb: 2,
      labels: { environment: 'env-a', resource: name },
    }));
    const created = await Promise.all(specs.map((spec) => driver.createVmFromTemplate(spec)));
    for (const [index, vm] of created.entries()) {
      expect(vm).toMatchObject({ name: specs[index].name, power: 'off', vcpu: 2, memoryMiB: 64, diskGb: 2, networks: ['env-a-net'], template: false });
      expect(vm.labels).toEqual(specs[index].labels);
      const seen = await govc.vm(specs[index].name);
      expect(seen).toMatchObject({ config: { template: false, hardware: { numCPU: 2, memoryMB: 64 } }, runtime: { powerState: 'poweredOff' } });
      expect(govcDiskGb(seen!)).toBe(2);
      expect(seen?.network).toEqual([{ type: 'DistributedVirtualPortgroup', value: network.id }]);
      expect(seen?.config.extraConfig).toEqual(expect.arrayContaining([{ key: 'wholesail.label.resource', value: specs[index].labels.resource }]));
    }
    // A retried create finds the VM by name and returns it: still two VMs of that name, not four.
    expect((await driver.createVmFromTemplate(specs[0])).id).toBe(created[0].id);
    expect((await govc.ls('/DC0/vm')).filter((path) => path.includes('/env-a-'))).toHaveLength(2);

    expect(await driver.powerOn(specs[0].name)).toMatchObject({ power: 'on' });
    expect(await driver.powerOn(specs[0].name)).toMatchObject({ power: 'on' }); // already on: nothing to do
    expect((await govc.vm(specs[0].name))?.runtime.powerState).toBe('poweredOn');

    await expect(driver.resize(specs[0].name, { vcpu: 4, memoryMiB: 128 })).rejects.toMatchObject({ code: 'HYPERVISOR_INVALID_STATE' });
    expect(await driver.powerOff(specs[0].name)).toMatchObject({ power: 'off' });
    expect(await driver.resize(specs[0].name, { vcpu: 4, memoryMiB: 128, diskGb: 3 })).toMatchObject({ vcpu: 4, memoryMiB: 128, diskGb: 3 });
    const resized = await govc.vm(specs[0].name);
    expect(resized?.config.hardware).toMatchObject({ numCPU: 4, memoryMB: 128 });
    expect(govcDiskGb(resized!)).toBe(3);
    await expect(driver.resize(specs[0].name, { vcpu: 4, memoryMiB: 128, diskGb: 1 })).rejects.toMatchObject({ code: 'HYPERVISOR_INVALID_REQUEST' });

    const inventory = await driver.list();
    expect(inventory.vms.filter((vm) => vm.labels.environment === 'env-a').map((vm) => vm.name)).toEqual(['env-a-db-1', 'env-a-web-1']);
    expect(inventory.vms.find((vm) => vm.name === TEMPLATE)?.template).toBe(true);
    expect(inventory.networks.map((n) => n.name)).toContain('env-a-net');

    // Deprovision: a powered-on VM is powered off first; a second destroy finds nothing to do.
    await driver.powerOn(specs[1].name);
    for (const spec of specs) await driver.destroyVm(spec.name);
    for (const spec of specs) await driver.destroyVm(spec.name);
    expect((await govc.ls('/DC0/vm')).filter((path) => path.includes('/env-a-'))).toEqual([]);
    expect(await driver.status(specs[0].name)).toBeUndefined();
    await driver.destroyNetwork('env-a-net');
    await driver.destroyNetwork('env-a-net');
    expect(await govc.ls('/DC0/network')).not.toContain('/DC0/network/env-a-net');
  });

  it('converges a VM an interrupted create left behind on the template network', async () => {
    await driver.createNetwork({ name: 'env-b-net' });
    // What a create that died right after the clone leaves: the template's size and network.
    const half = await driver.createVmFromTemplate({ name: 'env-b-app', template: TEMPLATE, network: 'VM Network', vcpu: 1, memoryMiB: 32 });
    expect(half.networks).toEqual(['VM Network']);
    const done = await driver.createVmFromTemplate({
      name: 'env-b-app',
      template: TEMPLATE,
      network: 'env-b-net',
      vcpu: 2,
      memoryMiB: 96,
      labels: { environment: 'env-b' },
    });
    expect(done).toMatchObject({ id: half.id, vcpu: 2, memoryMiB: 96, networks: ['env-b-net'], labels: { environment: 'env-b' } });
    expect((await govc.vm('env-b-app'))?.config.hardware).toMatchObject({ numCPU: 2, memoryMB: 96 });
    await driver.destroyVm('env-b-app');
    await driver.destroyNetwork('env-b-net');
  });

  it('maps faults to domain errors: not found, bad names, refused credentials, unreachable, untrusted certificates', async () => {
    await expect(
      driver.createVmFromTemplate({ name: 'x-1', template: 'no-such-template', network: 'VM Network', vcpu: 1, memoryMiB: 32 }),
    ).rejects.toMatchObject({
      code: 'HYPERVISOR_NOT_FOUND',
    });
    await expect(driver.powerOn('no-such-vm')).rejects.toMatchObject({ code: 'HYPERVISOR_NOT_FOUND', retryable: false });
    await expect(driver.createVmFromTemplate({ name: 'x-2', template: TEMPLATE, network: 'no-such-net', vcpu: 1, memoryMiB: 32 })).rejects.toMatchObject({
      code: 'HYPERVISOR_NOT_FOUND',
    });
    await expect(driver.createNetwork({ name: 'Bad Name</name>' })).rejects.toMatchObject({ code: 'HYPERVISOR_INVALID_REQUEST' });
    await expect(driver.createVmFromTemplate({ name: 'x-3', template: TEMPLATE, network: 'VM Network', vcpu: 0, memoryMiB: 32 })).rejects.toMatchObject({
      code: 'HYPERVISOR_INVALID_REQUEST',
    });
    expect(await driver.status('x-3')).toBeUndefined();

    const wrong = new VsphereDriver(vcsimConfig(vc, { password: 'not-the-password' }));
    const refused = await wrong.check().catch((error: unknown) => error);
    await wrong.close();
    expect(refused).toBeInstanceOf(HypervisorError);
    expect(refused).toMatchObject({ code: 'HYPERVISOR_AUTH_FAILED', fault: 'InvalidLogin', retryable: false });

    const closed = new VsphereDriver(vcsimConfig(vc, { sdkUrl: `https://127.0.0.1:${await findFreePort()}/sdk` }));
    await expect(closed.list()).rejects.toMatchObject({ code: 'HYPERVISOR_UNREACHABLE', retryable: true });
    await closed.close();

    const strict = new VsphereDriver(vcsimConfig(vc, { insecure: false }));
    await expect(strict.check()).rejects.toMatchObject({ code: 'HYPERVISOR_FAULT', retryable: false, message: expect.stringContaining('certificate') });
    await strict.close();
    // Trusting the endpoint's own certificate instead of switching verification off.
    const trusted = new VsphereDriver(vcsimConfig(vc, { insecure: false, ca: await peerCertificate(vc.url) }));
    expect((await trusted.check()).product).toMatch(/VMware/);
    await trusted.close();

    const wrongDatacenter = new VsphereDriver(vcsimConfig(vc, { datacenter: 'DC9' }));
    await expect(wrongDatacenter.check()).rejects.toMatchObject({ code: 'HYPERVISOR_NOT_FOUND', message: expect.stringContaining('datacenter DC9') });
    await wrongDatacenter.close();
  });

  it('reports what the host is and finds what its record names', async () => {
    const report = await driver.check();
    expect(report.product).toMatch(/VMware vCenter Server/);
    expect(report.checked).toEqual(['datacenter DC0', 'cluster DC0_C0', 'datastore LocalDS_0', 'distributed switch DVS0']);
    expect(report.vms).toBe((await govc.ls('/DC0/vm')).length);
  });
});
