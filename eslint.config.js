// typescript-eslint's type-checked recommended rules over src, test, bench and scripts. Each rule
// turned off or tuned below says why.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/data/', 'examples/', 'fixtures/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `const { backend: _backend, ...series } = trace` drops a key on purpose; a leading underscore
      // marks an argument a callback signature requires but this one does not read.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Functions in src/ read as their steps: one over 50 lines is split along them (issue 10).
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 50, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tests read reports parsed from the CLI's stdout (JSON.parse gives any; the e2e tests validate
    // those reports against the shipped JSON Schema) and compare with vitest's asymmetric matchers
    // (expect.any, expect.objectContaining), which are typed any. The unsafe-any rules stay on in src/.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The bin and bench scripts in plain JavaScript run on Node; tsc does not see them, so no type checks.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
