import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceBundle } from '../support/temporal-env';

/**
 * Replays every saved history in test/replay/histories against today's workflow code. A change
 * that would break workflows already running in production (non-determinism) fails here.
 * Add a history per workflow shape worth protecting; refresh with RECORD_HISTORIES=1. The
 * onboarding histories other than `.approve` have no recorder on purpose: they were recorded from the
 * code before the approval step moved to workflows/approvals and stand for runs already in flight.
 * The `solution-approval.*` histories (approve, operator step, all of, reject, changes then a new
 * version, validation sending a version back, expiry of a step and of the architect's wait,
 * withdrawal) guard the solution case: provisioning will start from its `afterApproval`, behind
 * `patched()`, and these runs must still replay.
 */
const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has saved histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await sourceBundle() }, history, file)).resolves.toBeUndefined();
  });
});
