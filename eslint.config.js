import tseslint from 'typescript-eslint';
import sfPlugin from 'eslint-plugin-sf-plugin';
import { fixupPluginRules } from '@eslint/compat';

// Type-aware linting, as Salesforce's eslint-config-salesforce-typescript does (that config needs ESLint 8, so
// typescript-eslint's own configs are used here). Every linted .ts file must belong to the nearest tsconfig.json the
// project service finds: src (tsconfig.json), test (test/tsconfig.json), bench, scripts and packages/org-emulator
// each have one.
const productionTs = ['src/**/*.ts', 'packages/*/src/**/*.ts'];
const supportTs = ['test/**/*.ts', 'packages/*/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];
const typed = { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } };

export default tseslint.config(
  { ignores: ['lib/**', '**/node_modules/**', 'test/fixtures/**', 'packages/*/test/fixtures/**', 'bench/out/**'] },
  ...tseslint.configs.recommended,
  {
    files: [...productionTs, ...supportTs],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: typed,
  },
  {
    files: ['src/**/*.ts'],
    // The sf-plugin rules still call context.getAncestors(), which ESLint 9 moved to sourceCode.
    plugins: { 'sf-plugin': fixupPluginRules(sfPlugin) },
    rules: { ...sfPlugin.configs.recommended.rules },
  },
  {
    files: supportTs,
    rules: {
      // The promise-safety rules catch real bugs in tests too (an un-awaited assertion passes silently).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.{ts,js}', 'packages/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The codebase rule: no module over about 300 lines, no function over about 60; a kept size carries an
    // eslint-disable comment with its reason.
    files: productionTs,
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
);
