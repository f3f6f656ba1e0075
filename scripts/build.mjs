// Build: compile TypeScript to dist/, rewrite path aliases, prebuild the Temporal workflow bundle,
// then build the web portal. Any failure (type error, bundling error) fails the build.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = (bin, args) => execFileSync(process.execPath, [require.resolve(bin), ...args], { cwd: root, stdio: 'inherit' });

const started = Date.now();
run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
run('tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json']);
// tsc copies only code: the mail templates (.hbs) go beside the compiled renderer, which finds them
// relative to __dirname. Replaced wholesale so a deleted template does not linger in dist/.
const mailTemplates = join(root, 'dist/libs/mail/src/templates');
rmSync(mailTemplates, { recursive: true, force: true });
cpSync(join(root, 'libs/mail/src/templates'), mailTemplates, { recursive: true });

const { bundleWorkflowCode } = require('@temporalio/worker');
const { workflowBundleOptions } = require(join(root, 'dist/libs/temporal/src/workflow-bundle.js'));
const options = workflowBundleOptions();
const { code } = await bundleWorkflowCode({
  ...options,
  workflowsPath: join(root, 'workflows/index.ts'),
  logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
});
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist/workflow-bundle.js'), code);
// The web portal (apps/portal) into dist/portal; the API serves it under /portal/.
const { buildPortal } = await import('./build-portal.mjs');
await buildPortal();
console.log(`build: dist/ and dist/workflow-bundle.js (${Math.round(code.length / 1024)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
