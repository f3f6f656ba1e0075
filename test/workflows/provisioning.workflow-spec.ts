import { ActivityFailure, ApplicationFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  DEPROVISION_SOLUTION_WORKFLOW,
  deprovisioningWorkflowId,
  PROVISION_SOLUTION_WORKFLOW,
  provisioningProgressQuery,
  provisioningWorkflowId,
  RESIZE_SOLUTION_WORKFLOW,
  resizeWorkflowId,
  type EnvironmentOutcome,
  type ProvisioningPlan,
} from '@wholesail/contracts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../support/wait-for';
import { createLocalTestEnv, sourceBundle } from '../support/temporal-env';
import { FakeProvisioning } from './provisioning/fake-provisioning';

const SOLUTION = '5a1e0000-0000-4000-8000-000000000001';
const CLIENT = 'c11e0000-0000-4000-8000-000000000001';
const RESELLER = 'a5e10000-0000-4000-8000-000000000001';
const V1 = 'de510000-0000-4000-8000-000000000001';
const V2 = 'de510000-0000-4000-8000-000000000002';

/** Two VMs on one network: the shape the issue asks for. */
function twoVmPlan(designVersionId = V1): ProvisioningPlan {
  const billing = (vcpus: number) => [
    { sku: 'VM-LINUX', quantity: '1' },
    { sku: 'VCPU', quantity: String(vcpus) },
    { sku: 'RAM-GB', quantity: '2' },
  ];
  return {
    solutionId: SOLUTION,
    clientId: CLIENT,
    resellerId: RESELLER,
    designVersionId,
    networks: [{ key: 'lan', name: 'LAN', cidr: '10.0.1.0/24' }],
    vms: [
      { key: 'web', name: 'Web', template: 'VM-LINUX', vcpus: 1, ramGb: 2, diskGb: 10, networks: ['lan'], billing: billing(1) },
      { key: 'db', name: 'Database', template: 'VM-LINUX', vcpus: 2, ramGb: 2, diskGb: 20, networks: ['lan'], billing: billing(2) },
    ],
    volumes: [],
    publicIps: [],
  };
}

const record = (name: string) => (process.env.RECORD_HISTORIES ? join(__dirname, '../replay/histories', name) : undefined);

describe('provisioning workflows (saga, deprovisioning, resize)', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  /** A worker serving `fake` on a fresh queue while `body` runs. */
  async function withWorker<T>(fake: FakeProvisioning, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `provisioning-test-${++queue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await sourceBundle(), activities: fake.activities });
    return worker.runUntil(body(taskQueue));
  }

  const provision = (taskQueue: string, plan: ProvisioningPlan, workflowId = provisioningWorkflowId(plan.solutionId, plan.designVersionId)) =>
    env.client.workflow.start(PROVISION_SOLUTION_WORKFLOW, { workflowId, taskQueue, args: [{ plan, requestedBy: 'user:test' }] });

  async function outcome(handle: WorkflowHandle): Promise<{ result?: EnvironmentOutcome; failure?: ApplicationFailure }> {
    try {
      return { result: (await handle.result()) as EnvironmentOutcome };
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const cause = (error as WorkflowFailedError).cause;
      // A refused claim fails the workflow through its activity; a saga ends it with its own failure.
      return { failure: (cause instanceof ActivityFailure ? cause.cause : cause) as ApplicationFailure };
    }
  }

  async function saveHistory(handle: WorkflowHandle, file: string): Promise<void> {
    const path = record(file);
    if (path) writeFileSync(path, JSON.stringify(await handle.fetchHistory(), null, 1));
  }

  it('places, creates the network, clones and powers on both VMs, records usage and runs', async () => {
    const fake = new FakeProvisioning();
    const { result, progress } = await withWorker(fake, async (taskQueue) => {
      const handle = await provision(taskQueue, twoVmPlan());
      const done = await outcome(handle);
      await saveHistory(handle, 'provision-solution.two-vms.json');
      return { ...done, progress: await handle.query(provisioningProgressQuery) };
    });
    expect(result).toMatchObject({ solutionId: SOLUTION, status: 'running', hostName: 'fake-host', designVersionId: V1 });
    const names = fake.names();
    expect(names.slice(0, 3)).toEqual(['claimEnvironment', 'placeEnvironment', 'createEnvironmentNetwork:lan']);
    // The VMs go in parallel, each cloned before it is powered on.
    expect(names.slice(3, 7).sort()).toEqual(['createEnvironmentVm:db', 'createEnvironmentVm:web', 'powerOnEnvironmentVm:db', 'powerOnEnvironmentVm:web']);
    for (const key of ['web', 'db']) expect(names.indexOf(`createEnvironmentVm:${key}`)).toBeLessThan(names.indexOf(`powerOnEnvironmentVm:${key}`));
    expect(names.slice(7)).toEqual(['recordEnvironmentUsage', 'finishEnvironment']);
    expect([...fake.vms.entries()].sort()).toEqual([
      ['db', { vcpus: 2, ramGb: 2, diskGb: 20, power: 'on' }],
      ['web', { vcpus: 1, ramGb: 2, diskGb: 10, power: 'on' }],
    ]);
    expect(fake.reserved).toEqual({ vcpu: 3, ramGb: 4, storageGb: 30 });
    expect(progress).toMatchObject({ phase: 'done', stepsDone: 7, stepsTotal: 7, operation: 'provision' });
    expect(progress.resources).toEqual(
      expect.arrayContaining([
        { kind: 'network', key: 'lan', state: 'running', hypervisorId: 'net-lan' },
        { kind: 'vm', key: 'web', state: 'running', hypervisorId: 'vm-web' },
        { kind: 'vm', key: 'db', state: 'running', hypervisorId: 'vm-db' },
      ]),
    );
  });

  it('answers the progress query while it runs: phase, steps done of total, each resource', async () => {
    const fake = new FakeProvisioning();
    const held = fake.hold('powerOnEnvironmentVm', 'db');
    await withWorker(fake, async (taskQueue) => {
      const handle = await provision(taskQueue, twoVmPlan());
      await held.reached;
      const progress = await waitFor(async () => {
        const view = await handle.query(provisioningProgressQuery);
        return view.steps.find((step) => step.id === 'vm:web:power-on')?.status === 'done' ? view : undefined;
      });
      expect(progress).toMatchObject({ phase: 'powering-on', stepsTotal: 7, stepsDone: 5 });
      expect(progress.steps.map((step) => `${step.id}=${step.status}`)).toEqual([
        'place=done',
        'network:lan=done',
        'vm:web:create=done',
        'vm:web:power-on=done',
        'vm:db:create=done',
        'vm:db:power-on=pending',
        'record=pending',
      ]);
      expect(progress.resources.find((r) => r.key === 'db')).toMatchObject({ state: 'created' });
      held.release();
      expect(await handle.result()).toMatchObject({ status: 'running' });
    });
  });

  it('undoes everything in reverse when the second VM fails for good, releases the capacity and fails with its code', async () => {
    const fake = new FakeProvisioning().fail({ activity: 'createEnvironmentVm', key: 'db', after: true, type: 'HYPERVISOR_INSUFFICIENT_RESOURCES' });
    const { failure, progress } = await withWorker(fake, async (taskQueue) => {
      const handle = await provision(taskQueue, twoVmPlan());
      const done = await outcome(handle);
      await saveHistory(handle, 'provision-solution.undo-second-vm.json');
      return { ...done, progress: await handle.query(provisioningProgressQuery) };
    });
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'HYPERVISOR_INSUFFICIENT_RESOURCES', nonRetryable: true });
    expect(failure?.message).toMatch(/provisioning failed at vm:db:create: injected failure of createEnvironmentVm for db/);
    expect(failure?.details?.[0]).toMatchObject({ status: 'failed', error: { code: 'HYPERVISOR_INSUFFICIENT_RESOURCES', step: 'vm:db:create' } });
    // web was powered on (it raced ahead); db's clone failed after it was made: both go, in reverse order of registration.
    const undos = fake.names().filter((name) => name.startsWith('undo:'));
    expect(undos).toEqual([
      'undo:destroyEnvironmentVm:db',
      'undo:destroyEnvironmentVm:web',
      'undo:destroyEnvironmentNetwork:lan',
      'undo:recordEnvironmentUsage',
      'undo:releaseEnvironmentCapacity',
    ]);
    expect(fake.names()).not.toContain('recordEnvironmentUsage'); // the forward record step never ran
    expect(fake.vms.size).toBe(0);
    expect(fake.networks.size).toBe(0);
    expect(fake.reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    expect(fake.env?.state).toBe('failed');
    expect(fake.calls.find((call) => call.name === 'recordEnvironmentStep')).toMatchObject({ step: 'vm:db:create' });
    expect(progress.phase).toBe('failed');
    expect(progress.steps.find((step) => step.id === 'vm:db:create')?.status).toBe('undone');
    expect(progress.error).toMatchObject({ code: 'HYPERVISOR_INSUFFICIENT_RESOURCES', step: 'vm:db:create' });
  });

  it('logs an undo that fails and goes on with the others; the environment is left in error for an operator', async () => {
    const fake = new FakeProvisioning()
      .fail({ activity: 'powerOnEnvironmentVm', key: 'db', type: 'HYPERVISOR_FAULT' })
      .fail({ activity: 'destroyEnvironmentNetwork', undo: true, type: 'HYPERVISOR_FAULT' });
    const { failure } = await withWorker(fake, async (taskQueue) => outcome(await provision(taskQueue, twoVmPlan())));
    expect(failure).toMatchObject({ type: 'HYPERVISOR_FAULT' });
    expect(failure?.details?.[0]).toMatchObject({ status: 'error', undoFailures: [{ step: 'network:lan', message: expect.stringContaining('injected') }] });
    // The network's undo failed (non-retryable: once) and the saga went on: VMs gone, usage stopped, capacity released.
    const names = fake.names();
    expect(names.filter((name) => name === 'undo:destroyEnvironmentNetwork:lan')).toHaveLength(1);
    expect(names.indexOf('undo:releaseEnvironmentCapacity')).toBeGreaterThan(names.indexOf('undo:destroyEnvironmentNetwork:lan'));
    expect(fake.vms.size).toBe(0);
    expect(fake.reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    expect(fake.env?.state).toBe('error');
    expect(fake.calls.filter((call) => call.name === 'recordEnvironmentStep').map((call) => call.step)).toEqual(['vm:db:power-on', 'network:lan']);
  });

  it('retries a transient hypervisor failure with backoff and does not duplicate what the first attempt made', async () => {
    const fake = new FakeProvisioning()
      .fail({ activity: 'placeEnvironment', times: 2, retryable: true })
      .fail({ activity: 'createEnvironmentVm', key: 'web', times: 1, retryable: true, after: true });
    const { result } = await withWorker(fake, async (taskQueue) => outcome(await provision(taskQueue, twoVmPlan())));
    expect(result).toMatchObject({ status: 'running' });
    expect(fake.names().filter((name) => name === 'placeEnvironment')).toHaveLength(3);
    expect(fake.names().filter((name) => name === 'createEnvironmentVm:web')).toHaveLength(2);
    expect(fake.vms.size).toBe(2);
    expect(fake.reserved).toEqual({ vcpu: 3, ramGb: 4, storageGb: 30 });
  });

  it('started again for the same version once it runs, finds it built and changes nothing', async () => {
    const fake = new FakeProvisioning();
    await withWorker(fake, async (taskQueue) => {
      expect(await (await provision(taskQueue, twoVmPlan())).result()).toMatchObject({ status: 'running' });
      const before = fake.calls.length;
      const again = await provision(taskQueue, twoVmPlan());
      expect(await again.result()).toMatchObject({ status: 'unchanged', designVersionId: V1 });
      expect(fake.names().slice(before)).toEqual(['claimEnvironment']);
      expect(await again.query(provisioningProgressQuery)).toMatchObject({ phase: 'done', stepsDone: 7, stepsTotal: 7 });
    });
    expect(fake.vms.size).toBe(2);
  });

  it('refuses a malformed plan before touching anything', async () => {
    const fake = new FakeProvisioning();
    const plan = { ...twoVmPlan(), vms: [{ ...twoVmPlan().vms[0], networks: ['nowhere'] }] };
    const { failure } = await withWorker(fake, async (taskQueue) => outcome(await provision(taskQueue, plan, 'provisioning:bad-plan')));
    expect(failure).toMatchObject({ type: 'PROVISIONING_INVALID_PLAN' });
    expect(failure?.message).toContain('vms[web].networks[0] must be the key of a network of the plan');
    expect(fake.calls).toEqual([]);
  });

  it('fails cleanly, changing nothing, when another run owns the environment', async () => {
    const fake = new FakeProvisioning();
    const held = fake.hold('powerOnEnvironmentVm', 'web');
    await withWorker(fake, async (taskQueue) => {
      const first = await provision(taskQueue, twoVmPlan());
      await held.reached;
      const second = await env.client.workflow.start(DEPROVISION_SOLUTION_WORKFLOW, {
        workflowId: deprovisioningWorkflowId(SOLUTION, 'busy'),
        taskQueue,
        args: [{ solutionId: SOLUTION, requestedBy: 'user:test' }],
      });
      const { failure } = await outcome(second);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'ENVIRONMENT_BUSY', message: expect.stringContaining('provisioning by provisioning:') });
      held.release();
      expect(await first.result()).toMatchObject({ status: 'running' });
    });
  });

  it('deprovisions: destroys the VMs and the network, records the stops, releases the capacity', async () => {
    const fake = new FakeProvisioning();
    const result = await withWorker(fake, async (taskQueue) => {
      await (await provision(taskQueue, twoVmPlan())).result();
      const before = fake.calls.length;
      const handle = await env.client.workflow.start(DEPROVISION_SOLUTION_WORKFLOW, {
        workflowId: deprovisioningWorkflowId(SOLUTION, 'test'),
        taskQueue,
        args: [{ solutionId: SOLUTION, requestedBy: 'user:test' }],
      });
      const done = await handle.result();
      await saveHistory(handle, 'deprovision-solution.two-vms.json');
      expect(fake.names().slice(before).sort()).toEqual(
        [
          'claimEnvironment',
          'destroyEnvironmentVm:web',
          'destroyEnvironmentVm:db',
          'destroyEnvironmentNetwork:lan',
          'recordEnvironmentUsage',
          'releaseEnvironmentCapacity',
          'finishEnvironment',
        ].sort(),
      );
      expect(await handle.query(provisioningProgressQuery)).toMatchObject({ phase: 'done', stepsDone: 5, stepsTotal: 5 });
      // A second request finds it gone.
      const again = await env.client.workflow.start(DEPROVISION_SOLUTION_WORKFLOW, {
        workflowId: deprovisioningWorkflowId(SOLUTION, 'again'),
        taskQueue,
        args: [{ solutionId: SOLUTION, requestedBy: 'user:test' }],
      });
      expect(await again.result()).toMatchObject({ status: 'deprovisioned' });
      return done;
    });
    expect(result).toMatchObject({ status: 'deprovisioned' });
    expect(fake.vms.size).toBe(0);
    expect(fake.networks.size).toBe(0);
    expect(fake.reserved).toEqual({ vcpu: 0, ramGb: 0, storageGb: 0 });
    expect(
      fake.events
        .filter((e) => e.kind === 'stop')
        .map((e) => e.resourceId)
        .sort(),
    ).toEqual(['network:lan', 'vm:db', 'vm:web']);
  });

  describe('resize (a new approved version as a diff)', () => {
    /** v2: web grows to 2 vCPU and 4 GB, db goes, cache comes (on the same network). */
    function v2(): ProvisioningPlan {
      const plan = twoVmPlan(V2);
      return {
        ...plan,
        vms: [
          { ...plan.vms[0], vcpus: 2, ramGb: 4, billing: [{ sku: 'VCPU', quantity: '2' }] },
          { key: 'cache', name: 'Cache', template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 5, networks: ['lan'], billing: [{ sku: 'VCPU', quantity: '1' }] },
        ],
      };
    }

    const resize = (taskQueue: string, plan: ProvisioningPlan) =>
      env.client.workflow.start(RESIZE_SOLUTION_WORKFLOW, {
        workflowId: resizeWorkflowId(plan.solutionId, plan.designVersionId),
        taskQueue,
        args: [{ plan, requestedBy: 'user:test' }],
      });

    it('adds, resizes (off, resize, on) and removes, then settles the capacity on the new version', async () => {
      const fake = new FakeProvisioning();
      await withWorker(fake, async (taskQueue) => {
        await (await provision(taskQueue, twoVmPlan())).result();
        const before = fake.calls.length;
        const handle = await resize(taskQueue, v2());
        expect(await handle.result()).toMatchObject({ status: 'running', designVersionId: V2 });
        await saveHistory(handle, 'resize-solution.diff.json');
        expect(fake.names().slice(before)).toEqual([
          'claimEnvironment',
          'growEnvironmentCapacity',
          'createEnvironmentVm:cache',
          'powerOnEnvironmentVm:cache',
          'resizeEnvironmentVm:web',
          'recordEnvironmentUsage',
          'destroyEnvironmentVm:db',
          'recordEnvironmentUsage',
          'settleEnvironmentCapacity',
          'finishEnvironment',
        ]);
        expect(await handle.query(provisioningProgressQuery)).toMatchObject({ phase: 'done', stepsTotal: 7, stepsDone: 7 });
      });
      expect([...fake.vms.entries()].sort()).toEqual([
        ['cache', { vcpus: 1, ramGb: 1, diskGb: 5, power: 'on' }],
        ['web', { vcpus: 2, ramGb: 4, diskGb: 10, power: 'on' }],
      ]);
      expect(fake.reserved).toEqual({ vcpu: 3, ramGb: 5, storageGb: 15 });
      expect(fake.env?.plan.designVersionId).toBe(V2);
    });

    it('undoes the additions and the resize when a new VM fails, and keeps running the old version', async () => {
      const fake = new FakeProvisioning().fail({ activity: 'powerOnEnvironmentVm', key: 'cache', type: 'HYPERVISOR_FAULT' });
      const { failure } = await withWorker(fake, async (taskQueue) => {
        await (await provision(taskQueue, twoVmPlan())).result();
        const handle = await resize(taskQueue, v2());
        const done = await outcome(handle);
        await saveHistory(handle, 'resize-solution.undo.json');
        return done;
      });
      expect(failure).toMatchObject({ type: 'HYPERVISOR_FAULT' });
      expect(failure?.details?.[0]).toMatchObject({ status: 'unchanged' });
      expect(fake.names().filter((name) => name.startsWith('undo:'))).toEqual([
        'undo:destroyEnvironmentVm:cache',
        'undo:recordEnvironmentUsage',
        'undo:settleEnvironmentCapacity',
      ]);
      expect([...fake.vms.keys()].sort()).toEqual(['db', 'web']);
      expect(fake.env?.state).toBe('running');
      expect(fake.env?.plan.designVersionId).toBe(V1);
    });

    it('refuses a change the drivers cannot make in place before changing anything', async () => {
      const fake = new FakeProvisioning();
      const { failure } = await withWorker(fake, async (taskQueue) => {
        await (await provision(taskQueue, twoVmPlan())).result();
        const plan = twoVmPlan(V2);
        plan.vms[0] = { ...plan.vms[0], template: 'VM-WINDOWS' };
        plan.vms[1] = { ...plan.vms[1], diskGb: 5 };
        return outcome(await resize(taskQueue, plan));
      });
      expect(failure).toMatchObject({ type: 'PROVISIONING_UNSUPPORTED_CHANGE' });
      expect(failure?.details?.[0]).toMatchObject({
        status: 'unchanged',
        fields: [
          { field: 'vms[web].template', problem: expect.stringContaining('cannot change from VM-LINUX') },
          { field: 'vms[db].diskGb', problem: expect.stringContaining('disks only grow') },
        ],
      });
      expect(fake.names().slice(-2)).toEqual(['claimEnvironment', 'finishEnvironment']);
      expect(fake.env?.state).toBe('running');
    });
  });
});
