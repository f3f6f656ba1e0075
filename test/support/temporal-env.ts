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

const bundles = new Map<string, Promise<WorkflowBundle>>();

/** The workflows bundled from source once per test file. */
export function sourceBundle(): Promise<WorkflowBundle> {
  return bundleOnce(workflowBundleOptions().workflowsPath);
}

/**
 * Test-only workflows (a `*.workflow.ts` under test/, e.g. a harness for a workflow-side module)
 * bundled from source the way production workflows are, but outside the production bundle.
 */
export function testWorkflowBundle(workflowsPath: string): Promise<WorkflowBundle> {
  return bundleOnce(workflowsPath);
}

function bundleOnce(workflowsPath: string): Promise<WorkflowBundle> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    const logger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
    bundle = bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath, logger });
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}
