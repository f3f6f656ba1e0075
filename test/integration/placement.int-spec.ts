import { MikroORM } from '@mikro-orm/postgresql';
import { SecretBox } from '@wholesail/auth';
import { isDomainError, type Capacity } from '@wholesail/domain';
import { HostRegistryService, passwordContext, PlacementService } from '@wholesail/hypervisors';
import { CapacityReservation, Host, ormConfig } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { testStack } from '../support/stack';

/**
 * Placement on real PostgreSQL with real concurrency: every reservation below runs in its own
 * transaction on its own pooled connection, racing the others for the same host row.
 */
describe('placement and the host registry (integration)', () => {
  let orm: MikroORM;
  let placement: PlacementService;
  let registry: HostRegistryService;
  const secrets = new SecretBox('placement-test-secrets-key-0123456789');
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl, { pool: { min: 0, max: 24 } }));
    placement = new PlacementService(orm.em);
    registry = new HostRegistryService(orm.em, secrets);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  /** A libvirt host of its own, tagged uniquely so that no other host (seeded or another test's) can be chosen. */
  const libvirtHost = (name: string, capacity: Capacity, tags: string[]) =>
    registry.create({ name: `${name}-${run}`, kind: 'libvirt', uri: 'test:///default', capacity, tags: [...tags, `run-${run}`] });
  const dbHost = (id: string) => orm.em.fork().findOneOrFail(Host, { id });
  const holdingSum = async (hostId: string) => {
    const rows = await orm.em.fork().find(CapacityReservation, { host: hostId, state: { $ne: 'released' } });
    return rows.reduce((sum, row) => ({ vcpu: sum.vcpu + row.vcpu, ramGb: sum.ramGb + row.ramGb, storageGb: sum.storageGb + row.storageGb }), {
      vcpu: 0,
      ramGb: 0,
      storageGb: 0,
    });
  };

  it('gives exactly fifteen of twenty concurrent reservations to a host with room for fifteen, and the books add up', async () => {
    const need = { vcpu: 2, ramGb: 4, storageGb: 20 };
    const host = await libvirtHost('race', { vcpu: 30, ramGb: 60, storageGb: 300 }, ['race']);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => placement.reserve({ key: `race-${run}:vm-${index}`, need, tags: ['race', `run-${run}`] })),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(15);
    expect(lost).toHaveLength(5);
    for (const { reason } of lost) {
      expect(isDomainError(reason)).toBe(true);
      expect(reason).toMatchObject({ code: 'HOST_CAPACITY_EXHAUSTED', kind: 'conflict' });
      expect(reason.message).toBe(
        `no active host tagged race, run-${run} has room for 2 vCPU, 4 GB RAM, 20 GB storage: on race-${run}, 2 vCPU needed, 0 free; 4 GB RAM needed, 0 free; 20 GB storage needed, 0 free`,
      );
    }
    const row = await dbHost(host.id);
    expect({ vcpu: row.reservedVcpu, ramGb: row.reservedRamGb, storageGb: row.reservedStorageGb }).toEqual({ vcpu: 30, ramGb: 60, storageGb: 300 });
    expect(await holdingSum(host.id)).toEqual({ vcpu: 30, ramGb: 60, storageGb: 300 });
    expect(await orm.em.fork().count(CapacityReservation, { id: { $like: `race-${run}:%` } })).toBe(15);
    expect((await registry.get(host.id)).free).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });

    // Releasing one makes room for exactly one more.
    const released = (won[0] as PromiseFulfilledResult<{ key: string }>).value.key;
    expect(await placement.release(released)).toMatchObject({ state: 'released' });
    expect(await placement.reserve({ key: `race-${run}:late`, need, tags: [`run-${run}`] })).toMatchObject({ hostId: host.id, created: true });
    await expect(placement.reserve({ key: `race-${run}:later`, need, tags: [`run-${run}`] })).rejects.toMatchObject({ code: 'HOST_CAPACITY_EXHAUSTED' });
    expect(await holdingSum(host.id)).toEqual({ vcpu: 30, ramGb: 60, storageGb: 300 });
  });

  it('returns the first reservation for a key reserved again, even concurrently', async () => {
    const host = await libvirtHost('same-key', { vcpu: 10, ramGb: 10, storageGb: 10 }, []);
    const key = `same-${run}:vm-1`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => placement.reserve({ key, need: { vcpu: 1, ramGb: 1, storageGb: 1 }, tags: [`run-${run}`] })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.hostId))).toEqual(new Set([host.id]));
    const row = await dbHost(host.id);
    expect([row.reservedVcpu, row.reservedRamGb, row.reservedStorageGb]).toEqual([1, 1, 1]);
    // A later request under the same key returns the first, whatever it now asks for.
    expect(await placement.reserve({ key, need: { vcpu: 5, ramGb: 5, storageGb: 5 } })).toMatchObject({ created: false, vcpu: 1, ramGb: 1 });
  });

  it('commits, releases once, and refuses to commit or resize what was released', async () => {
    const host = await libvirtHost('lifecycle', { vcpu: 8, ramGb: 16, storageGb: 100 }, []);
    const key = `life-${run}:vm-1`;
    await placement.reserve({ key, need: { vcpu: 4, ramGb: 8, storageGb: 50 }, hostId: host.id });
    expect(await placement.commit(key)).toMatchObject({ state: 'committed' });
    expect(await placement.commit(key)).toMatchObject({ state: 'committed' });
    expect(await placement.resize(key, { vcpu: 6, ramGb: 16, storageGb: 50 })).toMatchObject({ vcpu: 6, ramGb: 16 });
    await expect(placement.resize(key, { vcpu: 10, ramGb: 16, storageGb: 50 })).rejects.toMatchObject({
      code: 'HOST_CAPACITY_EXHAUSTED',
      message: expect.stringContaining('4 vCPU needed, 2 free'),
    });
    expect(await placement.resize(key, { vcpu: 2, ramGb: 2, storageGb: 10 })).toMatchObject({ vcpu: 2, ramGb: 2, storageGb: 10 });
    expect((await registry.get(host.id)).reserved).toEqual({ vcpu: 2, ramGb: 2, storageGb: 10 });

    expect(await placement.release(key)).toMatchObject({ state: 'released' });
    expect(await placement.release(key)).toMatchObject({ state: 'released' });
    expect((await registry.get(host.id)).reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    expect(await placement.release(`never-${run}`)).toBeUndefined();
    await expect(placement.commit(key)).rejects.toMatchObject({ code: 'HOST_RESERVATION_RELEASED' });
    await expect(placement.resize(key, { vcpu: 1, ramGb: 1, storageGb: 1 })).rejects.toMatchObject({ code: 'HOST_RESERVATION_RELEASED' });
    await expect(placement.commit(`never-${run}`)).rejects.toMatchObject({ code: 'HOST_RESERVATION_NOT_FOUND' });
    await expect(placement.reserve({ key: 'has spaces', need: { vcpu: 1, ramGb: 1, storageGb: 1 } })).rejects.toMatchObject({
      code: 'HOST_INVALID_RESERVATION_KEY',
    });
    await expect(placement.reserve({ key: `zero-${run}`, need: { vcpu: 0, ramGb: 0, storageGb: 0 } })).rejects.toMatchObject({ code: 'HOST_INVALID_CAPACITY' });
  });

  it('places on the host with the most free RAM that carries the tags, skips hosts in maintenance, then spills over', async () => {
    const big = await libvirtHost('big', { vcpu: 8, ramGb: 32, storageGb: 100 }, ['ssd']);
    const small = await libvirtHost('small', { vcpu: 8, ramGb: 16, storageGb: 100 }, ['ssd']);
    const other = await libvirtHost('untagged', { vcpu: 64, ramGb: 512, storageGb: 1000 }, []);
    const tags = ['ssd', `run-${run}`];
    const need = { vcpu: 1, ramGb: 12, storageGb: 1 };
    expect(await placement.reserve({ key: `order-${run}:1`, need, tags })).toMatchObject({ hostId: big.id }); // 32 free vs 16
    expect(await placement.reserve({ key: `order-${run}:2`, need, tags })).toMatchObject({ hostId: big.id }); // 20 vs 16
    expect(await placement.reserve({ key: `order-${run}:3`, need, tags })).toMatchObject({ hostId: small.id }); // 8 vs 16
    await registry.update(small.id, { status: 'maintenance' });
    await expect(placement.reserve({ key: `order-${run}:4`, need, tags })).rejects.toMatchObject({ code: 'HOST_CAPACITY_EXHAUSTED' });
    expect((await registry.get(other.id)).reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    await expect(placement.reserve({ key: `order-${run}:5`, need, tags: ['gpu', `run-${run}`] })).rejects.toMatchObject({
      message: `no active host tagged gpu, run-${run}`,
    });
  });

  it('refuses capacity below what is reserved, in the service and in the database', async () => {
    const host = await libvirtHost('shrink', { vcpu: 8, ramGb: 16, storageGb: 100 }, []);
    await placement.reserve({ key: `shrink-${run}:1`, need: { vcpu: 6, ramGb: 4, storageGb: 10 }, hostId: host.id });
    await expect(registry.update(host.id, { capacity: { vcpu: 4 } })).rejects.toMatchObject({
      code: 'HOST_CAPACITY_BELOW_RESERVED',
      fields: [{ field: 'capacity.vcpu', problem: 'must be at least 6, the amount reserved' }],
    });
    expect(await registry.update(host.id, { capacity: { vcpu: 6, ramGb: 8 }, tags: ['b', 'a', 'a'] })).toMatchObject({
      capacity: { vcpu: 6, ramGb: 8, storageGb: 100 },
      free: { vcpu: 0, ramGb: 4, storageGb: 90 },
      tags: ['a', 'b'],
    });
    await expect(orm.em.fork().execute(`update host set capacity_vcpu = 1 where id = ?`, [host.id])).rejects.toThrow(/host_reserved_within_capacity/);
    await expect(orm.em.fork().execute(`update host set reserved_ram_gb = 99 where id = ?`, [host.id])).rejects.toThrow(/host_reserved_within_capacity/);
  });

  it('keeps a vSphere password sealed at rest, bound to its host, and never in a view', async () => {
    const host = await registry.create({
      name: `vc-${run}`,
      kind: 'vsphere',
      sdkUrl: 'https://127.0.0.1:1/sdk',
      username: 'svc',
      password: 'S3cret-vcenter-pass',
      datacenter: 'DC0',
      cluster: 'DC0_C0',
      datastore: 'LocalDS_0',
      network: 'DVS0',
      capacity: { vcpu: 1, ramGb: 1, storageGb: 1 },
    });
    expect(JSON.stringify(host)).not.toContain('S3cret');
    const [row] = await orm.em.fork().execute<{ password_sealed: string }[]>(`select password_sealed from host where id = ?`, [host.id]);
    expect(row.password_sealed).not.toContain('S3cret');
    expect(secrets.open(row.password_sealed, passwordContext(host.id))).toBe('S3cret-vcenter-pass');
    expect(() => secrets.open(row.password_sealed, passwordContext(randomUUID()))).toThrow();

    // Unreachable endpoint: the check reports it instead of failing, and keeps the result.
    const check = await registry.check(host.id);
    expect(check).toMatchObject({ ok: false, error: { code: 'HYPERVISOR_UNREACHABLE' } });
    expect((await registry.get(host.id)).lastCheck).toEqual(check);
    // Under another SECRETS_KEY the password cannot be opened: said plainly.
    const otherKey = new HostRegistryService(orm.em, new SecretBox('another-secrets-key-0123456789-abcdef'));
    expect(await otherKey.check(host.id)).toMatchObject({ ok: false, error: { code: 'HOST_SECRET_UNREADABLE' } });

    await expect(
      registry.create({ name: `vc-${run}`, kind: 'libvirt', uri: 'test:///default', capacity: { vcpu: 1, ramGb: 1, storageGb: 1 } }),
    ).rejects.toMatchObject({
      code: 'HOST_NAME_TAKEN',
      fields: [{ field: 'name' }],
    });
    await expect(
      registry.create({ name: `lv-${run}`, kind: 'libvirt', uri: 'test:///default', password: 'x', capacity: { vcpu: 1, ramGb: 1, storageGb: 1 } }),
    ).rejects.toMatchObject({
      code: 'HOST_INVALID_CONNECTION',
      fields: [{ field: 'password' }],
    });
    await expect(
      registry.create({ name: `vc2-${run}`, kind: 'vsphere', sdkUrl: 'https://vc/sdk', capacity: { vcpu: 1, ramGb: 1, storageGb: 1 } }),
    ).rejects.toMatchObject({
      fields: [{ field: 'username', problem: 'is required for a vsphere host' }],
    });
  });
});
