// ESLint flat config: TypeScript rules with type information, the layer rules of STYLE.md
// (scripts/eslint/layers.cjs), React's rules of hooks for the portal, and Prettier's formatting
// left to Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import layers from './scripts/eslint/layers.cjs';

const sharedRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  '@typescript-eslint/no-explicit-any': 'off',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.dev/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    ignores: ['apps/portal/**'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: sharedRules,
  },
  // The web portal: its own tsconfig (DOM, JSX), the same rules, and React's rules of hooks.
  {
    files: ['apps/portal/**/*.{ts,tsx,mts}'],
    languageOptions: { parserOptions: { project: './apps/portal/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...sharedRules, ...reactHooks.configs.recommended.rules },
  },
  // Layer rules (workflows, contracts, activities, apps/api, libs/domain): scripts/eslint/layers.cjs.
  ...layers,
  // Formatting is Prettier's job (`npm run format`); the test command checks it.
  prettier,
);
