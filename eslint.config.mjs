// Lint rules the codebase holds to: no promise left unhandled (telemetry must never surface an
// unhandled rejection in the host app), type-only imports marked as such, and no require()
// without a reason given.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/bundle/**', '**/esm/**', '**/node_modules/**', 'benchmarks/**', 'examples/**', '**/test/fixtures/**', '**/test/docs/fixtures/**', '**/test/.doc-runs/**', 'scripts/**', 'packages/*/scripts/**', 'jest.config.js', 'eslint.config.mjs'] },
  {
    files: ['packages/*/src/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { project: ['packages/*/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // `typeof import('x')` types the lazily required modules without loading them at start.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      // A require() is a deliberate deferral (load on first use); each one says why.
      '@typescript-eslint/no-require-imports': 'error',
    },
  },
);
