import type { INestApplicationContext } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '@wholesail/config';
import { prebuiltBundlePath, workflowBundleOptions } from '@wholesail/temporal';
import { existsSync } from 'node:fs';
import { ACTIVITY_CLASSES, bindActivities } from '../../../activities';

export interface CreateWorkerOptions {
  /** 'prebuilt' loads dist/workflow-bundle.js (production); 'source' bundles workflows/ now (tests). */
  workflows: 'prebuilt' | 'source';
  connection?: NativeConnection;
  overrides?: Partial<WorkerOptions>;
}

/**
 * Builds a Temporal worker whose activities are methods of Nest-built services, so they get their
 * dependencies at boot rather than from module globals.
 */
export async function createWorker(
  app: INestApplicationContext,
  config: AppConfig,
  options: CreateWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = options.connection ?? (await NativeConnection.connect({ address: config.temporal.address }));
  const activities = bindActivities(ACTIVITY_CLASSES.map((type) => app.get(type)));
  let workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>;
  if (options.workflows === 'prebuilt') {
    const codePath = prebuiltBundlePath();
    if (!existsSync(codePath)) throw new Error(`workflow bundle ${codePath} is missing: run "npm run build" first`);
    workflowSource = { workflowBundle: { codePath } };
  } else {
    const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
    workflowSource = { workflowsPath, bundlerOptions: { webpackConfigHook } };
  }
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    ...workflowSource,
    ...options.overrides,
  });
  return { worker, connection };
}
