// ESLint flat config. Workflow code runs in Temporal's deterministic sandbox: it may not import Node
// builtins, Nest, the ORM, mail libraries or activity implementations (only their types).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.dev/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Test-only workflows (test/**/*.workflow.ts) run in the same sandbox.
    files: ['workflows/**/*.ts', 'test/**/*.workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node builtins.' })),
          patterns: [
            {
              group: ['@nestjs/*', '@mikro-orm/*', 'nodemailer', 'handlebars', 'pg', '@temporalio/worker', '@temporalio/client', '@temporalio/activity'],
              message: 'Workflows may not import Nest, the ORM, mail, or worker/client/activity SDKs.',
            },
            { group: ['**/activities/**', '!**/activities/**/*.types'], allowTypeImports: true, message: 'Import activities only as types: `import type`.' },
            {
              group: [
                '@wholesail/persistence',
                '@wholesail/mail',
                '@wholesail/temporal',
                '@wholesail/config',
                '@wholesail/devstack',
                '@wholesail/auth',
                '@wholesail/hypervisors',
                '@wholesail/parties',
              ],
              message: 'Workflows may import only @wholesail/contracts and @wholesail/domain.',
            },
          ],
        },
      ],
    },
  },
  // Formatting is Prettier's job (`npm run format`); the test command checks it.
  prettier,
);
