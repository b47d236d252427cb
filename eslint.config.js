import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Who may import whom (see ARCHITECTURE.md): imports point down only. */
const layer = (from, forbidden, message) => ({
  files: [`src/${from}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((name) => ({ group: [`**/${name}/**`, `**/${name}`], message: `${message} (src/${from} may not import src/${name})` })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'test-results/**', 'scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    // Tests may read fixtures from disk; the code under test may not.
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/store/**', '**/server/**', '**/cli/**', '**/web/**', '**/integrations/**'], message: 'src/core is the bottom layer: it imports nothing outside itself' },
            { group: ['node:*', 'fs', 'path', 'crypto', 'pg', '@electric-sql/*', 'fastify', 'react'], message: 'src/core is pure: no I/O, no framework' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'core takes today/now as input' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'core takes random seeds as input' }],
    },
  },
  layer('store', ['server', 'cli', 'web', 'integrations'], 'the store sits below the server, CLI and web app'),
  layer('integrations', ['store', 'server', 'cli', 'web'], 'integrations build on core only'),
  layer('server', ['cli', 'web'], 'the server does not reach up into the CLI or web app'),
  layer('cli', ['web'], 'the CLI does not import the web app'),
  layer('web', ['server', 'store', 'cli', 'integrations'], 'the web app talks to the server over HTTP only'),
  {
    files: ['src/web/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
