import { temporal as proto } from '@temporalio/proto';
import { provisioningWorkflowId, type ProvisioningPlan } from '@wholesail/contracts';
import { findRepoRoot } from '@wholesail/devstack';
import { hypervisorName, resourceName } from '@wholesail/domain';
import { VsphereDriver } from '@wholesail/hypervisors';
import { startDeprovisioning, startProvisioning } from '@wholesail/provisioning';
import { TemporalConnectionHolder } from '@wholesail/temporal';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createClientChannel } from '../support/fixtures';
import { linuxVm, testPlan } from '../support/plans';
import { startHarness, type Harness } from '../support/harness';
import { Govc, vcsimConfig, vcsimHostBody } from '../support/hypervisors';
import { testStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * A worker killed with SIGKILL in the middle of a provisioning, then started again: the workflow
 * resumes from its history, the activity that was running when the process died times out on its
 * heartbeat and runs again on the new worker, finds the VM its first attempt cloned (by name) and
 * finishes — no duplicate VM. The workers are the real worker process (dist/apps/worker), started as
 * children on a task queue of their own; the first one stalls right after cloning the second VM
 * (PROVISIONING_FAULTS, honoured under NODE_ENV=test only) so the kill lands mid-step every time.
 */
describe('provisioning survives a killed worker (e2e)', () => {
  jest.setTimeout(240_000);
  let h: Harness;
  let govc: Govc;
  const run = randomUUID().slice(0, 8);
  /** The template SKU of this file's plans and hosts (see testPlan). */
  const templateSku = `TPL-${run}`;
  const taskQueue = `crash-${run}`;
  const children: ChildProcess[] = [];
  let plan: ProvisioningPlan;

  beforeAll(async () => {
    const vc = testStack().vsphere;
    if (!vc) throw new Error('the test stack has no vcsim: npm test installs it (scripts/ensure-go-tool.sh)');
    govc = new Govc(vc);
    h = await startHarness({ worker: false });
    const { reseller, client } = await createClientChannel(h);
    const template = `tpl-crash-${run}`;
    const fixture = new VsphereDriver(vcsimConfig(vc));
    await fixture.ensureTemplate({ name: template, vcpu: 1, memoryMiB: 32, diskGb: 1, network: 'VM Network' });
    await fixture.close();
    const token = await h.login('admin@wholesail.demo');
    await h.http
      .post('/hosts')
      .set('authorization', `Bearer ${token}`)
      .send(
        vcsimHostBody(vc, `vcsim-crash-${run}`, {
          capacity: { vcpu: 4, ramGb: 4, storageGb: 8 },
          tags: [`crash-${run}`],
          templates: { [templateSku]: template },
        }),
      )
      .expect(201);
    plan = testPlan(
      { clientId: client.party.id, resellerId: reseller.party.id },
      { template: templateSku, tags: [`crash-${run}`], vms: ['web', 'db'].map((key) => linuxVm(key)) },
    );
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
  });

  /** The real worker process on this file's task queue, once it polls. */
  async function startWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = fork(join(findRepoRoot(), 'dist/apps/worker/src/main.js'), [], {
      env: { ...process.env, ...h.env, TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'test', LOG_LEVEL: 'log', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`polling task queue "${taskQueue}"`)) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code, signal) => reject(new Error(`the worker exited (${code ?? signal}) before polling:\n${output}`)));
    });
    return child;
  }

  const ours = async () => (await govc.ls('/DC0/vm')).filter((path) => path.startsWith(`/DC0/vm/${resourceName('ws', plan.solutionId)}-`));

  it('is finished by a new worker after SIGKILL mid-step, with no duplicate VM', async () => {
    const first = await startWorker({ PROVISIONING_FAULTS: 'createEnvironmentVm:db:stall' });
    const client = h.app.get(TemporalConnectionHolder).client;
    const workflowId = provisioningWorkflowId(plan.solutionId, plan.designVersionId);
    await startProvisioning(client, taskQueue, plan, 'user:e2e');

    // The second VM is cloned in vCenter and its step has not finished: kill the worker there.
    const db = `/DC0/vm/${hypervisorName(plan.solutionId, 'vm', 'db')}`;
    await waitFor(async () => ((await ours()).includes(db) ? true : undefined), 120_000, 250);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(first.signalCode).toBe('SIGKILL');

    await startWorker();
    const outcome = await client.workflow.getHandle(workflowId).result();
    expect(outcome).toMatchObject({ status: 'running', designVersionId: plan.designVersionId });

    // Exactly the two VMs of the design, both running: the retried clone found the first one's VM.
    const vms = await ours();
    expect(vms.sort()).toEqual(['web', 'db'].map((key) => `/DC0/vm/${hypervisorName(plan.solutionId, 'vm', key)}`).sort());
    for (const key of ['web', 'db']) expect(await govc.vm(hypervisorName(plan.solutionId, 'vm', key))).toMatchObject({ runtime: { powerState: 'poweredOn' } });
    // The history shows the clone of db ran again (attempt 2) after the heartbeat of the killed worker stopped.
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = new Map<string, string>();
    const attempts: number[] = [];
    for (const event of history.events ?? []) {
      const schedule = event.activityTaskScheduledEventAttributes;
      if (
        schedule?.activityType?.name === 'createEnvironmentVm' &&
        Buffer.from(schedule.input?.payloads?.[0]?.data ?? [])
          .toString()
          .includes('"key":"db"')
      ) {
        scheduled.set(String(event.eventId), 'db');
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started && scheduled.has(String(started.scheduledEventId))) attempts.push(started.attempt ?? 0);
    }
    expect(attempts).toEqual([2]);
    expect(history.events?.some((event) => event.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)).toBe(false);

    // Clean up through the same worker.
    const down = await startDeprovisioning(client, taskQueue, { solutionId: plan.solutionId, requestedBy: 'user:e2e' }, 'crash');
    expect(await client.workflow.getHandle(down.workflowId).result()).toMatchObject({ status: 'deprovisioned' });
    expect(await ours()).toEqual([]);
  });
});
