import nx from '@nx/eslint-plugin';

// Each project lints with its own config that spreads this one, so path-scoped blocks below name
// their paths from the workspace root (basePath) rather than from the project's directory.
const root = import.meta.dirname;

// Node modules that do I/O. The domain library is pure: it may hash (node:crypto) but never
// touch files, sockets or processes, and it knows nothing of Nest or any driver.
const ioModules = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'tls',
  'worker_threads',
];
const domainBanned = [
  '@nestjs/*',
  'mongoose',
  'better-sqlite3',
  'undici',
  'amqplib',
  'amqp-connection-manager',
  'express',
  'pino',
  'class-validator',
  'class-transformer',
  'rxjs',
  'tar-stream',
  ...ioModules,
  ...ioModules.map((m) => `node:${m}`),
];

const scopes = ['gateway', 'resolver', 'fetcher', 'blobstore', 'metadata', 'exporter', 'runtime'];
// Only the services that talk to registries may use the registry client (scope:upstream).
const upstreamScopes = ['resolver', 'fetcher', 'exporter'];
// Only the services that move bytes may use the blob store port and its clients (scope:blob).
// The gateway is an edge: load, import and save stream to the exporter (ARCHIVES), and the
// archive format (libs/archive) is the exporter's own (scope:exporter). The runtime unpacks layers
// from the content store into snapshots (libs/snapshots). The gateway's registry face (`/v2/`)
// streams blobs to and from the blob store's internal endpoint, holding none itself.
const blobScopes = ['resolver', 'fetcher', 'blobstore', 'exporter', 'runtime', 'gateway'];
// The filesystem store itself (libs/storage/blob-fs, scope:blob-fs) is the blobstore's, and the
// fetcher's when it shares the blob store's data root (downloads land without an HTTP hop).
const blobFsScopes = ['blobstore', 'fetcher'];

const testing = (allowTesting) => (allowTesting ? ['type:testing'] : []);

/** Dependencies point downward: apps → adapters → ports and contracts → domain. */
const depConstraints = (allowTesting) => [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:contracts',
      'type:port',
      'type:adapter',
      'type:util',
      'type:feature',
      ...testing(allowTesting),
    ],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:contracts',
      'type:port',
      'type:adapter',
      'type:util',
      ...testing(allowTesting),
    ],
  },
  {
    sourceTag: 'type:adapter',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:contracts',
      'type:port',
      'type:util',
      ...testing(allowTesting),
    ],
  },
  { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:domain', ...testing(allowTesting)] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain'] },
  {
    sourceTag: 'type:util',
    onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...testing(allowTesting)],
  },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [], bannedExternalImports: domainBanned },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['*'] },
  ...scopes.map((s) => ({
    sourceTag: `scope:${s}`,
    onlyDependOnLibsWithTags: [
      'scope:shared',
      'scope:testing',
      `scope:${s}`,
      ...(upstreamScopes.includes(s) ? ['scope:upstream'] : []),
      ...(blobScopes.includes(s) ? ['scope:blob'] : []),
      ...(blobFsScopes.includes(s) ? ['scope:blob-fs'] : []),
    ],
  })),
  // The embedded composition root wires every service into one process.
  { sourceTag: 'scope:embedded', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'] },
  {
    sourceTag: 'scope:upstream',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing', 'scope:upstream'],
  },
  {
    sourceTag: 'scope:blob',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing', 'scope:blob'],
  },
  {
    sourceTag: 'scope:blob-fs',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing', 'scope:blob', 'scope:blob-fs'],
  },
];

const boundaries = (allowTesting) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: false,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints: depConstraints(allowTesting),
  },
];

const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'];
// Test support: the testbed library and the end-to-end helpers (describe-shaped contract suites).
const testSupport = ['libs/testing/**/*.ts', 'apps/system-e2e/**/*.ts', 'tools/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', 'tmp/**', 'coverage/**'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.cts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@stevedore/*/*'],
              message: 'Import a library through its index (@stevedore/<lib>) only.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'A focused test hides the others.' },
        { object: 'it', property: 'only', message: 'A focused test hides the others.' },
        { object: 'test', property: 'only', message: 'A focused test hides the others.' },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': [
        'error',
        { max: 40, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
  {
    // bannedExternalImports does not see `node:` builtins, so the domain's purity is also a plain import ban.
    basePath: root,
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...ioModules, ...ioModules.map((m) => `node:${m}`)].map((name) => ({
            name,
            message: 'libs/domain does no I/O.',
          })),
          patterns: [
            {
              group: ['@stevedore/*/*'],
              message: 'Import a library through its index (@stevedore/<lib>) only.',
            },
            { group: ['@nestjs/*'], message: 'libs/domain knows nothing of Nest.' },
          ],
        },
      ],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      'max-lines': 'off',
      'max-lines-per-function': 'off',
    },
  },
  {
    basePath: root,
    files: testSupport,
    rules: { 'max-lines-per-function': 'off' },
  },
];
