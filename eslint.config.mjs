import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Layer rules of ../shared/ARCHITECTURE.md, encoded as nx tags (see each package.json "nx.tags").
// Top depends on bottom, never the reverse; connectors see only core.
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:state', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:core', 'scope:state'] },
  { sourceTag: 'scope:deploy', onlyDependOnLibsWithTags: ['scope:core', 'scope:state', 'scope:runtime'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:core', 'scope:state', 'scope:runtime', 'scope:api'] },
  { sourceTag: 'scope:lib', onlyDependOnLibsWithTags: ['scope:core', 'scope:api', 'scope:lib'] },
  { sourceTag: 'scope:connector', onlyDependOnLibsWithTags: ['scope:core', 'scope:connector'] },
  { sourceTag: 'scope:test-utils', onlyDependOnLibsWithTags: ['scope:core', 'scope:state', 'scope:runtime', 'scope:api'] },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['*'] },
];

// Transport and file-system modules stay out of core and the user APIs.
const noNodeIo = {
  'no-restricted-imports': [
    'error',
    {
      paths: ['node:worker_threads', 'node:net', 'node:fs', 'node:fs/promises', 'worker_threads', 'net', 'fs', 'fs/promises'].map(
        (name) => ({ name, message: 'core and the user APIs stay free of transport and file-system modules (ARCHITECTURE.md)' }),
      ),
    },
  ],
};

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints, enforceBuildableLibDependency: false }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['libs/core/src/**/*.ts', 'libs/datastream/src/**/*.ts', 'libs/dataset/src/**/*.ts'], ignores: ['**/*.test.ts'], rules: noNodeIo },
  { files: ['apps/**/*.ts', 'tools/**/*.ts', 'test/**/*.ts', '**/*.test.ts', '**/*.bench.ts'], rules: { 'no-console': 'off' } },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
];
