import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { resolveTemporalBinary } from '@wholesail/devstack';
import { workflowBundleOptions } from '@wholesail/temporal';

/**
 * A Temporal dev server for workflow tests, started from the Temporal CLI binary already on this
 * machine (`existing-path`): the SDK never downloads anything.
 */
export async function createLocalTestEnv(): Promise<TestWorkflowEnvironment> {
  const path = resolveTemporalBinary();
  if (!path) throw new Error('Temporal CLI not found: run `bash scripts/ensure-tools.sh` or set TEMPORAL_CLI_PATH');
  return TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, extraArgs: ['--log-level', 'error'] } });
}

let bundle: Promise<WorkflowBundle> | undefined;

/** The workflows bundled from source once per test file. */
export function sourceBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
  return bundle;
}
