// ESLint flat config: TypeScript rules with type information, the layer rules of STYLE.md
// (scripts/eslint/layers.cjs), and Prettier's formatting left to Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import layers from './scripts/eslint/layers.cjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.dev/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
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
  // Layer rules (workflows, contracts, activities, apps/api, libs/domain): scripts/eslint/layers.cjs.
  ...layers,
  // Formatting is Prettier's job (`npm run format`); the test command checks it.
  prettier,
);
