import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { CHANGE_PARTY_STATUS_WORKFLOW, partyStatusWorkflowId, type ChangePartyStatusInput, type ChangePartyStatusResult } from '@wholesail/contracts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalTestEnv, sourceBundle } from '../support/temporal-env';

describe('changePartyStatus workflow', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  beforeAll(async () => {
    env = await createLocalTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const input: ChangePartyStatusInput = { partyId: '00000000-0000-4000-8000-000000000001', status: 'suspended', reason: 'unpaid', requestedBy: 'user:test' };

  async function run(applyPartyStatus: (input: ChangePartyStatusInput) => Promise<ChangePartyStatusResult>, key: string) {
    const taskQueue = `wf-test-${++queue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await sourceBundle(), activities: { applyPartyStatus } });
    const workflowId = partyStatusWorkflowId(input.partyId, key);
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(CHANGE_PARTY_STATUS_WORKFLOW, { workflowId, taskQueue, args: [input] });
      try {
        return { result: await handle.result(), handle };
      } catch (error) {
        return { error, handle };
      }
    });
  }

  it('applies the change through the activity and returns its result', async () => {
    const calls: ChangePartyStatusInput[] = [];
    const { result, handle } = await run(async (received) => {
      calls.push(received);
      return { partyId: received.partyId, previousStatus: 'active', status: received.status, changed: true, appliedAt: '2026-11-24T00:00:00.000Z' };
    }, 'happy');
    expect(calls).toEqual([input]);
    expect(result).toMatchObject({ previousStatus: 'active', status: 'suspended', changed: true });

    // Refresh the saved history the replay test uses: RECORD_HISTORIES=1 npm test.
    if (process.env.RECORD_HISTORIES) {
      writeFileSync(join(__dirname, '../replay/histories/change-party-status.happy.json'), JSON.stringify(await handle.fetchHistory(), null, 1));
    }
  });

  it('retries a transient activity failure with backoff', async () => {
    let attempts = 0;
    const { result } = await run(async (received) => {
      attempts++;
      if (attempts < 3) throw new Error('connection reset');
      return { partyId: received.partyId, previousStatus: 'active', status: received.status, changed: true, appliedAt: '2026-11-24T00:00:00.000Z' };
    }, 'transient');
    expect(attempts).toBe(3);
    expect(result?.changed).toBe(true);
  });

  it('fails at once on a business error, without retrying', async () => {
    let attempts = 0;
    const { error } = await run(async () => {
      attempts++;
      throw ApplicationFailure.create({ type: 'PARTY_INVALID_TRANSITION', message: 'a party cannot go from closed to suspended', nonRetryable: true });
    }, 'business');
    expect(attempts).toBe(1);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ActivityFailure);
    expect((cause as ActivityFailure).cause).toMatchObject({ type: 'PARTY_INVALID_TRANSITION' });
  });
});
