// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the few CommonJS files (jest's config, process preloads) may use without importing. */
const commonJsGlobals = {
  module: 'writable',
  require: 'readonly',
  process: 'readonly',
  __dirname: 'readonly',
  console: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'appPackage/build/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Text hygiene and Graph's nickname rules match control characters on purpose.
      'no-control-regex': 'off',
      // Wiring that hands a callback a service made later reads a `let` before assigning it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests read cards and activities as the untyped JSON Teams and Graph send.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: commonJsGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
