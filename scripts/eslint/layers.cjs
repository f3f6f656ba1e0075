// The layer rules of the house style (STYLE.md, "Dependency rules") as lint errors, checked by
// eslint-plugin-boundaries on every import, export-from, require and dynamic import. Each policy's
// message states the rule it enforces. scripts/eslint/layers.spec.ts proves that each one fires.
'use strict';
const path = require('node:path');
const boundaries = require('eslint-plugin-boundaries');

const local = (...types) => ({ element: { types: { anyOf: types } } });
const external = (...sources) => ({ module: { origin: 'external', ...(sources.length ? { source: sources } : {}) } });
const core = { module: { origin: 'core' } };
const from = (type) => ({ element: { type } });
const testWorkflow = { element: { type: 'test' }, file: { categories: 'workflow' } };
const fromWorkflow = [from('workflows'), testWorkflow];

const RULES = {
  workflows:
    'Workflows are deterministic: they may import only @temporalio/workflow, @wholesail/contracts, @wholesail/domain, other workflows and activity types (`import type`).',
  contracts: 'libs/contracts is pure and runs inside workflows: it may import only itself, @wholesail/domain, @temporalio/workflow and @temporalio/common.',
  activities: 'Activities never import workflows or apps: they call libs services and contracts.',
  api: 'apps/api never imports activities or workflows: it starts and signals workflows through @wholesail/contracts and the Temporal client.',
  domain: 'libs/domain is pure: it may import only itself, decimal.js and ms (no Nest, ORM, Temporal, Node builtins or other libs).',
};

/** @type {import('eslint').Linter.Config[]} */
module.exports = [
  {
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { [path.join(__dirname, 'typescript-resolver.cjs')]: {} },
      'boundaries/root-path': path.resolve(__dirname, '..', '..'),
      'boundaries/dependency-nodes': ['import', 'export', 'require', 'dynamic-import'],
      'boundaries/elements': [
        { type: 'api', pattern: 'apps/api/**', partialMatch: false },
        { type: 'worker', pattern: 'apps/worker/**', partialMatch: false },
        { type: 'app', pattern: 'apps/*/**', partialMatch: false },
        { type: 'workflows', pattern: 'workflows/**', partialMatch: false },
        { type: 'activities', pattern: 'activities/**', partialMatch: false },
        { type: 'contracts', pattern: 'libs/contracts/**', partialMatch: false },
        { type: 'domain', pattern: 'libs/domain/**', partialMatch: false },
        { type: 'lib', pattern: 'libs/*/**', partialMatch: false },
        { type: 'test', pattern: 'test/**', partialMatch: false },
        { type: 'bench', pattern: 'bench/**', partialMatch: false },
      ],
      'boundaries/files': [
        { category: 'test', pattern: '**/*.spec.ts' },
        // Test-only workflows run in the same sandbox, so the workflow rules hold for them too.
        { category: 'workflow', pattern: '**/*.workflow.ts' },
      ],
      'boundaries/legacy-templates': false,
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkAllOrigins: true,
          // Imports inside one element are checked too: a test-only workflow under test/ may not
          // reach the rest of test/.
          checkInternals: true,
          policies: [
            // Later policies win over earlier ones: each layer first refuses everything outside
            // itself, then allows what it may use.
            {
              from: fromWorkflow,
              disallow: { to: [core, external(), local('api', 'worker', 'app', 'activities', 'lib', 'test', 'bench')] },
              message: RULES.workflows,
            },
            { from: fromWorkflow, allow: { to: [external('@temporalio/workflow'), testWorkflow] } },
            { from: fromWorkflow, allow: { to: local('activities'), dependency: { kind: 'type' } } },

            {
              from: from('contracts'),
              disallow: { to: [core, external(), local('api', 'worker', 'app', 'workflows', 'activities', 'lib', 'test', 'bench')] },
              message: RULES.contracts,
            },
            { from: from('contracts'), allow: { to: [external('@temporalio/workflow', '@temporalio/common')] } },

            { from: from('activities'), disallow: { to: local('workflows', 'api', 'worker', 'app') }, message: RULES.activities },

            { from: from('api'), disallow: { to: local('activities', 'workflows') }, message: RULES.api },

            {
              from: from('domain'),
              disallow: { to: [core, external(), local('api', 'worker', 'app', 'workflows', 'activities', 'contracts', 'lib', 'test', 'bench')] },
              message: RULES.domain,
            },
            { from: from('domain'), allow: { to: [external('decimal.js', 'ms')] } },
            // Specs beside the domain code may use test tools and read the source tree.
            { from: { element: { type: 'domain' }, file: { categories: 'test' } }, allow: { to: [core, external()] } },
          ],
        },
      ],
    },
  },
];
