import type { BundleOptions } from '@temporalio/worker';
import { join, resolve } from 'node:path';

/** The repository root, from either the TypeScript sources or the compiled `dist/` tree. */
export function repoRoot(): string {
  const here = resolve(__dirname);
  const distIndex = here.lastIndexOf(`${join('/', 'dist', '/')}`);
  return distIndex >= 0 ? here.slice(0, distIndex) : resolve(here, '../../..');
}

/** Where the build writes the prebuilt workflow bundle that production workers load. */
export function prebuiltBundlePath(): string {
  return join(repoRoot(), 'dist', 'workflow-bundle.js');
}

/**
 * Bundle options for the workflow code in `workflows/`. Workflows import only
 * `@wholesail/contracts` and `@wholesail/domain`; the aliases point webpack at their sources.
 */
export function workflowBundleOptions(): BundleOptions {
  const root = repoRoot();
  return {
    workflowsPath: join(root, 'workflows', 'index.ts'),
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = {
        ...(config.resolve.alias as Record<string, string> | undefined),
        '@wholesail/contracts': join(root, 'libs/contracts/src'),
        '@wholesail/domain': join(root, 'libs/domain/src'),
      };
      return config;
    },
  };
}
