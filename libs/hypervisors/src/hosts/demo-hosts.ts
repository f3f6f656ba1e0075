import type { EntityManager } from '@mikro-orm/postgresql';
import { SecretBox } from '@wholesail/auth';
import type { Capacity } from '@wholesail/domain';
import { Host } from '@wholesail/persistence';
import { VsphereDriver } from '../vsphere/vsphere.driver';
import { HostRegistryService } from './host-registry.service';

/** The vCenter simulator's default inventory (vcsim: 1 datacenter, 1 cluster, a distributed switch). */
export const DEMO_VSPHERE = { name: 'vcsim-dc0', datacenter: 'DC0', cluster: 'DC0_C0', datastore: 'LocalDS_0', network: 'DVS0', template: 'tpl-tiny' } as const;
export const DEMO_LIBVIRT = { name: 'libvirt-test', uri: 'test:///default', network: 'wsbr0' } as const;
const DEMO_CAPACITY: Record<'vsphere' | 'libvirt', Capacity> = {
  vsphere: { vcpu: 64, ramGb: 256, storageGb: 4096 },
  libvirt: { vcpu: 16, ramGb: 32, storageGb: 500 },
};

export interface DemoHostsReport {
  created: string[];
  updated: string[];
  /** Why the vSphere demo template could not be made, when it could not. */
  templateProblem?: string;
}

/**
 * Demo hosts for `npm run seed`: libvirt's built-in test driver always, and — when the devstack
 * runs vcsim (VCSIM_URL, VCSIM_USERNAME, VCSIM_PASSWORD) — the simulator as a vSphere host with a
 * tiny template, since vcsim starts with none. Idempotent: hosts are found by name; a simulator on
 * another URL (a new `npm start`) updates the record.
 */
export async function seedDemoHosts(em: EntityManager, secretsKey: string, env: NodeJS.ProcessEnv = process.env): Promise<DemoHostsReport> {
  const secrets = new SecretBox(secretsKey);
  const registry = new HostRegistryService(em, secrets);
  const report: DemoHostsReport = { created: [], updated: [] };
  const find = (name: string) => em.fork().findOne(Host, { name });

  if (!(await find(DEMO_LIBVIRT.name))) {
    await registry.create({
      name: DEMO_LIBVIRT.name,
      kind: 'libvirt',
      uri: DEMO_LIBVIRT.uri,
      network: DEMO_LIBVIRT.network,
      capacity: DEMO_CAPACITY.libvirt,
      tags: ['demo', 'libvirt'],
    });
    report.created.push(DEMO_LIBVIRT.name);
  }

  const sdkUrl = env.VCSIM_URL;
  if (!sdkUrl) return report;
  const username = env.VCSIM_USERNAME ?? 'user';
  const password = env.VCSIM_PASSWORD ?? 'pass';
  const existing = await find(DEMO_VSPHERE.name);
  if (!existing) {
    await registry.create({
      name: DEMO_VSPHERE.name,
      kind: 'vsphere',
      sdkUrl,
      username,
      password,
      datacenter: DEMO_VSPHERE.datacenter,
      cluster: DEMO_VSPHERE.cluster,
      datastore: DEMO_VSPHERE.datastore,
      network: DEMO_VSPHERE.network,
      insecureTls: true,
      capacity: DEMO_CAPACITY.vsphere,
      tags: ['demo', 'vsphere'],
    });
    report.created.push(DEMO_VSPHERE.name);
  } else if (existing.sdkUrl !== sdkUrl || existing.username !== username) {
    await registry.update(existing.id, { sdkUrl, username, password });
    report.updated.push(DEMO_VSPHERE.name);
  }

  const driver = new VsphereDriver({ sdkUrl, username, password, insecure: true, ...DEMO_VSPHERE });
  try {
    await driver.ensureTemplate({ name: DEMO_VSPHERE.template, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
  } catch (error) {
    report.templateProblem = (error as Error).message;
  } finally {
    await driver.close();
  }
  return report;
}
