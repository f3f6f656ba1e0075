import { MikroORM } from '@mikro-orm/postgresql';
import type { ProvisioningPlan } from '@wholesail/contracts';
import { isDomainError } from '@wholesail/domain';
import { Environment, ormConfig, Party, ProvisionedResource } from '@wholesail/persistence';
import { EnvironmentRecords } from '@wholesail/provisioning';
import { randomUUID } from 'node:crypto';
import { testStack } from '../support/stack';

/**
 * The writer of environments on real PostgreSQL: claims decided under the row lock (concurrent
 * first claims of one solution: one run owns it, the others are told it is busy), a run resuming
 * its own claim, writes refused to a run that no longer owns the environment, the plan's client
 * and reseller checked, and the rows a resize adds.
 */
describe('environment records (integration)', () => {
  let orm: MikroORM;
  let records: EnvironmentRecords;
  let parties: { clientId: string; resellerId: string };
  const t = randomUUID().slice(0, 8);

  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(testStack().databaseUrl, { pool: { min: 0, max: 12 } }));
    records = new EnvironmentRecords(orm.em);
    const em = orm.em.fork();
    const operator = await em.findOneOrFail(Party, { kind: 'operator' });
    const distributor = Party.create({ kind: 'distributor', name: `ER Distributor ${t}`, code: `er-dist-${t}`, parent: operator });
    const reseller = Party.create({ kind: 'reseller', name: `ER Reseller ${t}`, code: `er-reseller-${t}`, parent: distributor });
    const client = Party.create({ kind: 'client', name: `ER Client ${t}`, code: `er-client-${t}`, parent: reseller });
    em.persist([distributor, reseller, client]);
    await em.flush();
    parties = { clientId: client.id, resellerId: reseller.id };
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  const plan = (overrides: Partial<ProvisioningPlan> = {}): ProvisioningPlan => ({
    solutionId: randomUUID(),
    ...parties,
    designVersionId: randomUUID(),
    networks: [{ key: 'lan', name: 'LAN', cidr: '10.0.0.0/24' }],
    vms: [{ key: 'web', name: 'Web', template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 1, networks: ['lan'], billing: [{ sku: 'VCPU', quantity: '1' }] }],
    volumes: [],
    publicIps: [{ key: 'ip', name: 'IP', vm: 'web' }],
    ...overrides,
  });
  const run = (n: number) => ({ workflowId: `provisioning:test:${t}`, runId: `run-${n}` });

  it('gives a new environment to exactly one of ten concurrent runs; that run resumes, the others are busy', async () => {
    const p = plan();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => records.claim({ operation: 'provision', run: run(i), solutionId: p.solutionId, requestedBy: 'test', plan: p })),
    );
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(isDomainError(o.reason) && o.reason.code).toBe('ENVIRONMENT_BUSY');
    const winner = run(won[0]);
    expect(await records.claim({ operation: 'provision', run: winner, solutionId: p.solutionId, requestedBy: 'test', plan: p })).toMatchObject({
      outcome: 'claimed',
      state: 'provisioning',
      generation: 1,
    });
    const rows = await orm.em.fork().find(ProvisionedResource, { environment: { solutionId: p.solutionId } }, { orderBy: { kind: 'asc' } });
    expect(rows.map((r) => `${r.kind}:${r.key}:${r.state}:${r.hypervisorName ?? ''}`)).toEqual([
      `network:lan:pending:ws-${p.solutionId}-net-lan`,
      `vm:web:pending:ws-${p.solutionId}-web`,
      'public-ip:ip:pending:',
    ]);

    // Another run cannot write; the owner finishes, and the same version again is done.
    await expect(records.step(p.solutionId, run(99), { id: 'place', phase: 'placing' }, () => undefined)).rejects.toMatchObject({ code: 'ENVIRONMENT_BUSY' });
    await records.finish(p.solutionId, winner, { state: 'running', phase: 'done' });
    expect(await records.claim({ operation: 'provision', run: run(42), solutionId: p.solutionId, requestedBy: 'test', plan: p })).toMatchObject({
      outcome: 'done',
    });
    await expect(
      records.claim({ operation: 'provision', run: run(43), solutionId: p.solutionId, requestedBy: 'test', plan: { ...p, designVersionId: randomUUID() } }),
    ).rejects.toMatchObject({
      code: 'ENVIRONMENT_ALREADY_PROVISIONED',
    });
  });

  it('adds the rows of what a resize brings, and builds again (a new generation) after a failure', async () => {
    const p = plan();
    await records.claim({ operation: 'provision', run: run(1), solutionId: p.solutionId, requestedBy: 'test', plan: p });
    await records.finish(p.solutionId, run(1), { state: 'running', phase: 'done' });
    const v2 = { ...p, designVersionId: randomUUID(), vms: [...p.vms, { ...p.vms[0], key: 'db', name: 'DB' }] };
    const resized = await records.claim({ operation: 'resize', run: run(2), solutionId: p.solutionId, requestedBy: 'test', plan: v2 });
    expect(resized).toMatchObject({ outcome: 'claimed', state: 'resizing', plan: { designVersionId: p.designVersionId } });
    expect((await orm.em.fork().find(ProvisionedResource, { environment: { solutionId: p.solutionId }, kind: 'vm' })).map((r) => r.key).sort()).toEqual([
      'db',
      'web',
    ]);
    await records.finish(p.solutionId, run(2), { state: 'running', phase: 'done' });
    expect(await orm.em.fork().findOneOrFail(Environment, { solutionId: p.solutionId })).toMatchObject({
      designVersionId: v2.designVersionId,
      targetPlan: null,
    });

    const q = plan();
    await records.claim({ operation: 'provision', run: run(3), solutionId: q.solutionId, requestedBy: 'test', plan: q });
    await records.finish(q.solutionId, run(3), { state: 'failed', phase: 'failed', error: { code: 'HOST_CAPACITY_EXHAUSTED', message: 'full' } });
    expect(await records.claim({ operation: 'provision', run: run(4), solutionId: q.solutionId, requestedBy: 'test', plan: q })).toMatchObject({
      outcome: 'claimed',
      generation: 2,
    });
    expect(await orm.em.fork().count(ProvisionedResource, { environment: { solutionId: q.solutionId } })).toBe(6); // three rows per generation
  });

  it('refuses a plan whose client is not under the named reseller, writing nothing', async () => {
    const p = plan({ resellerId: randomUUID() });
    await expect(records.claim({ operation: 'provision', run: run(1), solutionId: p.solutionId, requestedBy: 'test', plan: p })).rejects.toMatchObject({
      code: 'PROVISIONING_INVALID_PLAN',
      fields: [{ field: 'resellerId', problem: "is not the client's reseller" }],
    });
    expect(await orm.em.fork().findOne(Environment, { solutionId: p.solutionId })).toBeNull();
  });
});
