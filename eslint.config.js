import tseslint from 'typescript-eslint';
import sfPlugin from 'eslint-plugin-sf-plugin';
import { fixupPluginRules } from '@eslint/compat';

export default tseslint.config(
  { ignores: ['lib/**', '**/node_modules/**', 'test/fixtures/**', 'packages/*/test/fixtures/**', 'bench/out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    // The sf-plugin rules still call context.getAncestors(), which ESLint 9 moved to sourceCode.
    plugins: { 'sf-plugin': fixupPluginRules(sfPlugin) },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { ...sfPlugin.configs.recommended.rules },
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
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
);
