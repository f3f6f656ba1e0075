import fc from 'fast-check';
import { OFFER, sampleGraph } from '../designs/testing/design-fixtures';
import { errorOf } from '../testing/error-of';
import { claimDecision, hypervisorName, usageResourceId, type EnvironmentOwner } from './environment';
import { assertValidPlan, planNeeds, planProblems, planTemplates, type ProvisioningPlan } from './plan';
import { diffPlans, isEmptyDiff } from './plan-diff';
import { planFromDesign } from './plan-from-design';
import { deprovisionSteps, needsAttach, provisionSteps, resizeSteps } from './progress';
import { reconcileUsage, type BillableResource } from './usage-events';

const ids = {
  solutionId: '5a1e0000-0000-4000-8000-000000000001',
  clientId: 'c11e0000-0000-4000-8000-000000000001',
  resellerId: 'a5e10000-0000-4000-8000-000000000001',
  designVersionId: 'de510000-0000-4000-8000-000000000001',
};

function plan(overrides: Partial<ProvisioningPlan> = {}): ProvisioningPlan {
  return {
    ...ids,
    networks: [
      { key: 'lan', name: 'LAN', cidr: '10.0.1.0/24' },
      { key: 'dmz', name: 'DMZ', cidr: '10.0.2.0/24' },
    ],
    vms: [
      { key: 'web', name: 'Web', template: 'VM-LINUX', vcpus: 2, ramGb: 4, diskGb: 40, networks: ['lan', 'dmz'], billing: [{ sku: 'VCPU', quantity: '2' }] },
      { key: 'db', name: 'DB', template: 'VM-WINDOWS', vcpus: 4, ramGb: 16, diskGb: 100, networks: ['lan'], billing: [{ sku: 'VCPU', quantity: '4' }] },
    ],
    volumes: [{ key: 'data', name: 'Data', vm: 'db', sizeGb: 500 }],
    publicIps: [{ key: 'web-ip', name: 'Web IP', vm: 'web', billing: [{ sku: 'PUBLIC-IP', quantity: '1' }] }],
    ...overrides,
  };
}

describe('provisioning plan', () => {
  it('accepts a consistent plan and sums what it takes on one host', () => {
    expect(planProblems(plan())).toEqual([]);
    expect(planNeeds(plan())).toEqual({ vcpu: 6, ramGb: 20, storageGb: 640 });
    expect(planTemplates(plan())).toEqual(['VM-LINUX', 'VM-WINDOWS']);
  });

  it('names every problem by its field', () => {
    const bad = plan({
      clientId: 'acme',
      networks: [{ key: 'lan', name: 'LAN', cidr: '10.0.1.0/33' }],
      vms: [
        {
          key: 'web',
          name: '',
          template: 'VM LINUX',
          vcpus: 0,
          ramGb: 1.5,
          diskGb: 10,
          networks: ['lan', 'wan', 'lan'],
          billing: [{ sku: 'VCPU', quantity: '0' }],
        },
        { key: 'web', name: 'Twin', template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 1, networks: [], billing: [] },
      ],
      volumes: [{ key: 'data', name: 'Data', vm: 'db', sizeGb: 10 }],
      publicIps: [],
    });
    expect(planProblems(bad).map((p) => p.field)).toEqual([
      'clientId',
      'vms[web].name',
      'vms[web].billing[0].quantity',
      'vms[web].key',
      'networks[lan].cidr',
      'vms[web].template',
      'vms[web].vcpus',
      'vms[web].ramGb',
      'vms[web].networks[1]',
      'vms[web].networks',
      'vms[web].networks',
      'volumes[data].vm',
    ]);
    expect(errorOf(() => assertValidPlan({ ...plan(), vms: [], volumes: [], publicIps: [] }))).toMatchObject({
      code: 'PROVISIONING_INVALID_PLAN',
      fields: [{ field: 'vms', problem: 'must have at least one VM' }],
    });
    expect(planProblems(null)).toEqual([{ field: 'plan', problem: 'must be an object' }]);
  });

  it('steps: place, networks, per VM clone (attach when it has more) and power on, record', () => {
    expect(provisionSteps(plan()).map((step) => step.id)).toEqual([
      'place',
      'network:lan',
      'network:dmz',
      'vm:web:create',
      'vm:web:attach',
      'vm:web:power-on',
      'vm:db:create',
      'vm:db:attach',
      'vm:db:power-on',
      'record',
    ]);
    expect(needsAttach(plan({ volumes: [], publicIps: [] }), 'db')).toBe(false);
    expect(deprovisionSteps(['web'], ['lan']).map((step) => step.id)).toEqual(['vm:web:destroy', 'network:lan:destroy', 'record', 'release']);
  });
});

describe('environment claims', () => {
  const run = { operation: 'provision' as const, workflowId: 'provisioning:s:v1', runId: 'r1', designVersionId: 'v1' };
  const owner = (state: EnvironmentOwner['state'], over: Partial<EnvironmentOwner> = {}): EnvironmentOwner => ({
    state,
    workflowId: 'provisioning:s:v1',
    runId: 'r0',
    designVersionId: 'v1',
    ...over,
  });

  it('lets one run at a time change an environment, resumes its own, and finds finished work done', () => {
    expect(claimDecision(undefined, run)).toBe('claim');
    expect(claimDecision(owner('provisioning', { runId: 'r1' }), run)).toBe('resume');
    expect(claimDecision(owner('running'), run)).toBe('done');
    expect(claimDecision(owner('failed'), run)).toBe('claim');
    expect(claimDecision(owner('deprovisioned'), run)).toBe('claim');
    expect(errorOf(() => claimDecision(owner('provisioning'), run))).toMatchObject({ code: 'ENVIRONMENT_BUSY' });
    expect(errorOf(() => claimDecision(owner('running', { designVersionId: 'v0' }), run))).toMatchObject({ code: 'ENVIRONMENT_ALREADY_PROVISIONED' });
    const resize = { ...run, operation: 'resize' as const, designVersionId: 'v2' };
    expect(claimDecision(owner('running'), resize)).toBe('claim');
    expect(claimDecision(owner('running', { designVersionId: 'v2' }), resize)).toBe('done');
    expect(errorOf(() => claimDecision(owner('failed'), resize))).toMatchObject({ code: 'ENVIRONMENT_NOT_RUNNING' });
    expect(errorOf(() => claimDecision(undefined, resize))).toMatchObject({ code: 'ENVIRONMENT_NOT_FOUND' });
    const down = { operation: 'deprovision' as const, workflowId: 'deprovisioning:s:g1', runId: 'r9' };
    expect(claimDecision(owner('running'), down)).toBe('claim');
    expect(claimDecision(owner('error'), down)).toBe('claim');
    expect(claimDecision(owner('deprovisioned'), down)).toBe('done');
    expect(errorOf(() => claimDecision(owner('resizing'), down))).toMatchObject({ code: 'ENVIRONMENT_BUSY' });
  });

  it('derives hypervisor names and usage resources from the solution and the key', () => {
    expect(hypervisorName(ids.solutionId, 'vm', 'web')).toBe(`ws-${ids.solutionId}-web`);
    expect(hypervisorName(ids.solutionId, 'network', 'web')).toBe(`ws-${ids.solutionId}-net-web`);
    expect(hypervisorName(ids.solutionId, 'vm', 'a-very-long-key-that-goes-on-and-on')).toHaveLength(63);
    expect(usageResourceId(ids.solutionId, 'vm', 'web', 'VCPU')).toBe(`${ids.solutionId}:vm:web:VCPU`);
  });
});

describe('resize diff', () => {
  it('adds, removes and resizes by key; billing-only changes are rebilled', () => {
    const current = plan();
    const target = plan({
      networks: [current.networks[0], { key: 'backup', name: 'Backup', cidr: '10.0.3.0/24' }],
      vms: [
        { ...current.vms[1], vcpus: 8, billing: [{ sku: 'VCPU', quantity: '8' }] },
        { key: 'cache', name: 'Cache', template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 5, networks: ['backup'], billing: [] },
      ],
      publicIps: [],
    });
    const diff = diffPlans(current, target);
    expect(diff.addNetworks.map((n) => n.key)).toEqual(['backup']);
    expect(diff.removeNetworks.map((n) => n.key)).toEqual(['dmz']);
    expect(diff.addVms.map((v) => v.key)).toEqual(['cache']);
    expect(diff.removeVms.map((v) => v.key)).toEqual(['web']);
    expect(diff.resizeVms).toEqual([{ key: 'db', from: { vcpus: 4, ramGb: 16, diskGb: 100 }, to: { vcpus: 8, ramGb: 16, diskGb: 100 } }]);
    expect(diff.rebilled).toEqual([{ kind: 'vm', key: 'db' }]);
    expect(diff.removePublicIps).toEqual([]); // web's address goes with web
    expect(diff.unsupported).toEqual([]);
    expect(resizeSteps(target, diff).map((step) => step.id)).toEqual([
      'place',
      'network:backup',
      'vm:cache:create',
      'vm:cache:power-on',
      'vm:db:resize',
      'record',
      'vm:web:destroy',
      'network:dmz:destroy',
      'settle',
    ]);
    expect(isEmptyDiff(diffPlans(current, { ...current, designVersionId: ids.solutionId }))).toBe(true);
  });

  it('refuses what the drivers cannot change in place', () => {
    const current = plan();
    const target = plan({
      vms: [
        { ...current.vms[0], template: 'VM-WINDOWS', networks: ['lan'] },
        { ...current.vms[1], diskGb: 50 },
      ],
      volumes: [{ key: 'data', name: 'Data', vm: 'db', sizeGb: 600 }],
    });
    expect(diffPlans(current, target).unsupported.map((p) => p.field)).toEqual(['vms[web].template', 'vms[web].networks', 'vms[db].diskGb', 'vms[db]']);
  });
});

describe('usage reconciliation', () => {
  const base: BillableResource = {
    kind: 'vm',
    key: 'web',
    state: 'running',
    billing: [
      { sku: 'VCPU', quantity: '2' },
      { sku: 'RAM-GB', quantity: '4' },
    ],
    billed: [],
    startedAt: '2026-11-30T10:00:00.000Z',
  };

  it('starts every line when the resource starts, then changes and stops as its life changes', () => {
    const started = reconcileUsage(ids.solutionId, base);
    expect(started.events).toEqual([
      { resourceId: `${ids.solutionId}:vm:web:VCPU`, sku: 'VCPU', kind: 'start', quantity: '2', occurredAt: '2026-11-30T10:00:00.000Z' },
      { resourceId: `${ids.solutionId}:vm:web:RAM-GB`, sku: 'RAM-GB', kind: 'start', quantity: '4', occurredAt: '2026-11-30T10:00:00.000Z' },
    ]);
    const resized = reconcileUsage(ids.solutionId, {
      ...base,
      billed: started.billed,
      billing: [
        { sku: 'VCPU', quantity: '4.0' },
        { sku: 'LIC', quantity: '1' },
      ],
      changedAt: '2026-11-30T12:00:00.000Z',
    });
    expect(resized.events.map((e) => `${e.sku} ${e.kind} ${e.quantity} ${e.occurredAt.slice(11, 16)}`)).toEqual([
      'VCPU change 4.0 12:00',
      'LIC start 1 12:00',
      'RAM-GB stop null 12:00',
    ]);
    const stopped = reconcileUsage(ids.solutionId, { ...base, billed: resized.billed, state: 'destroyed', stoppedAt: '2026-11-30T13:00:00.000Z' });
    expect(stopped.events.map((e) => `${e.sku} ${e.kind} ${e.occurredAt.slice(11, 16)}`)).toEqual(['VCPU stop 13:00', 'LIC stop 13:00']);
    expect(stopped.billed).toEqual([]);
  });

  it('records nothing for a resource that never ran, and nothing twice (property: reconciling the result again yields no events)', () => {
    expect(reconcileUsage(ids.solutionId, { ...base, state: 'created' }).events).toEqual([]);
    const line = fc.record({ sku: fc.constantFrom('VCPU', 'RAM-GB', 'LIC', 'IP'), quantity: fc.integer({ min: 1, max: 64 }).map(String) });
    fc.assert(
      fc.property(
        fc.uniqueArray(line, { selector: (l) => l.sku }),
        fc.uniqueArray(line, { selector: (l) => l.sku }),
        fc.boolean(),
        (first, second, destroy) => {
          const a = reconcileUsage(ids.solutionId, { ...base, billing: first });
          const next = {
            ...base,
            billing: second,
            billed: a.billed,
            changedAt: '2026-11-30T11:00:00.000Z',
            ...(destroy ? { state: 'destroyed' as const, stoppedAt: '2026-11-30T12:00:00.000Z' } : {}),
          };
          const b = reconcileUsage(ids.solutionId, next);
          expect(reconcileUsage(ids.solutionId, { ...next, billed: b.billed }).events).toEqual([]);
          expect(b.billed.map((l) => l.sku).sort()).toEqual(destroy ? [] : second.map((l) => l.sku).sort());
        },
      ),
    );
  });
});

describe('plan from an approved design', () => {
  it('keeps ids as keys and labels as names, and bills each component with its quoted lines', () => {
    const plan = planFromDesign(sampleGraph(), OFFER, { ...ids, designVersionNo: 3 });
    expect(planProblems(plan)).toEqual([]);
    expect(plan).toMatchObject({ ...ids, designVersionNo: 3 });
    expect(plan.networks).toEqual([
      { key: 'lan', name: 'Front LAN', cidr: '10.0.1.0/24', billing: [] },
      { key: 'backend', name: 'backend', cidr: '10.0.2.0/24', billing: [] },
    ]);
    expect(plan.vms.find((vm) => vm.key === 'db-1')).toEqual({
      key: 'db-1',
      name: 'Database',
      template: 'VM-WINDOWS',
      vcpus: 4,
      ramGb: 16,
      diskGb: 80,
      networks: ['lan', 'backend'],
      osLicenceSku: 'LIC-WIN-STD',
      billing: [
        { sku: 'VM-WINDOWS', quantity: '1' },
        { sku: 'VCPU', quantity: '4' },
        { sku: 'RAM-GB', quantity: '16' },
        { sku: 'STORAGE-SSD-GB', quantity: '80' },
        { sku: 'LIC-WIN-STD', quantity: '1' },
      ],
    });
    expect(plan.vms.find((vm) => vm.key === 'web-1')?.osLicenceSku).toBeNull();
    expect(plan.volumes).toEqual([{ key: 'data', name: 'DB data', vm: 'db-1', sizeGb: 500, billing: [{ sku: 'STORAGE-SSD-GB', quantity: '500' }] }]);
    expect(plan.publicIps).toEqual([{ key: 'ip-1', name: 'ip-1', vm: 'web-1', billing: [{ sku: 'PUBLIC-IP', quantity: '1' }] }]);
    expect(planNeeds(plan)).toEqual({ vcpu: 8, ramGb: 24, storageGb: 660 });
  });
});
