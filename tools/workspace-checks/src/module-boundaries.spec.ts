import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Lints in-memory fixtures as if they were files of the named projects, so the boundary
// rules are proven to fire without a bad file ever existing in the tree. ESLint runs as
// its own process because its flat config is an ES module, which Jest's VM cannot load.
const root = join(__dirname, '../../..');
const eslintBin = join(root, 'node_modules/.bin/eslint');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

function problems(file: string, code: string): string[] {
  const run = spawnSync(
    eslintBin,
    ['--stdin', '--stdin-filename', join(root, file), '--format', 'json'],
    {
      cwd: root,
      input: code,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    },
  );
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it('rejects an import of @nestjs/* from libs/domain', async () => {
    const found = await problems(
      'libs/domain/src/lib/fixture.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    );
    expect(found.join('\n')).toMatch(/type:domain.*not allowed to import "@nestjs\/common"/);
  });

  it('rejects Node I/O from libs/domain', async () => {
    const found = await problems(
      'libs/domain/src/lib/fixture.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    expect(found.join('\n')).toMatch(/no-restricted-imports: 'node:fs' import is restricted/);
  });

  it('rejects an import from one app into another', async () => {
    const found = await problems(
      'apps/gateway/src/fixture.ts',
      "import { x } from '../../resolver/src/main';\nexport const y = x;\n",
    );
    expect(found.join('\n')).toMatch(/enforce-module-boundaries/);
  });

  it('rejects the testing library outside test files', async () => {
    const found = await problems(
      'apps/gateway/src/fixture.ts',
      "import { startRegistry } from '@stevedore/testing';\nexport const y = startRegistry;\n",
    );
    expect(found.join('\n')).toMatch(/type:app.*can only depend on libs tagged with/);
  });

  it('allows the testing library in a spec file', async () => {
    const found = await problems(
      'apps/gateway/src/fixture.spec.ts',
      "import { startRegistry } from '@stevedore/testing';\nexport const y = startRegistry;\n",
    );
    expect(found.filter((p) => p.startsWith('@nx/enforce-module-boundaries'))).toEqual([]);
  });

  it('rejects deep imports into a library', async () => {
    const found = await problems(
      'apps/gateway/src/fixture.ts',
      "import { x } from '@stevedore/domain/src/lib/x';\nexport const y = x;\n",
    );
    expect(found.join('\n')).toMatch(/through its index/);
  });

  // The gateway is an edge: the archive format and the filesystem blob store are out of reach; its
  // registry face streams blobs through the BLOB_STORE port to the blob store's internal endpoint.
  const gatewayScope =
    /A project tagged with "scope:gateway" can only depend on libs tagged with "scope:shared", "scope:testing", "scope:gateway"/;

  it.each([
    [
      'the archive format',
      "import { readArchive } from '@stevedore/archive';\nexport const x = readArchive;\n",
    ],
    [
      'the filesystem blob store',
      "import { FsBlobStore } from '@stevedore/blob-fs';\nexport const x = FsBlobStore;\n",
    ],
  ])('rejects the gateway importing %s', async (_what, code) => {
    const found = await problems('libs/services/gateway/src/lib/fixture.ts', code);
    expect(found.join('\n')).toMatch(gatewayScope);
  });

  it.each([
    [
      'the filesystem blob store',
      "import { FsBlobStore } from '@stevedore/blob-fs';\nexport const x = FsBlobStore;\n",
    ],
    [
      'the blob-http server half (the blobstore service)',
      "import { BlobstoreServiceModule } from '@stevedore/service-blobstore';\nexport const x = BlobstoreServiceModule;\n",
    ],
  ])('rejects the gateway app importing %s', async (_what, code) => {
    const found = await problems('apps/gateway/src/fixture.ts', code);
    expect(found.join('\n')).toMatch(gatewayScope);
  });

  it('rejects the gateway service importing the blob-http server half', async () => {
    const found = await problems(
      'libs/services/gateway/src/lib/fixture.ts',
      "import { BlobstoreServiceModule } from '@stevedore/service-blobstore';\nexport const x = BlobstoreServiceModule;\n",
    );
    // The first wall it meets: a service never imports another service (the app case proves the scope).
    expect(found.join('\n')).toMatch(/type:feature" can only depend on libs tagged with/);
  });

  it('rejects the exporter app importing the filesystem blob store', async () => {
    const found = await problems(
      'apps/exporter/src/fixture.ts',
      "import { FsBlobStore } from '@stevedore/blob-fs';\nexport const x = FsBlobStore;\n",
    );
    expect(found.join('\n')).toMatch(/"scope:exporter" can only depend on libs tagged with/);
  });

  it.each([
    [
      'the gateway app reach the blob store through its HTTP client (the /v2/ face)',
      'apps/gateway/src/fixture.ts',
      "import { BlobClientModule } from '@stevedore/blob-http';\nexport const x = BlobClientModule;\n",
    ],
    [
      'the fetcher app write into a shared data root with the filesystem store',
      'apps/fetcher/src/fixture.ts',
      "import { FsBlobStore } from '@stevedore/blob-fs';\nexport const x = FsBlobStore;\n",
    ],
    [
      'the gateway reach the exporter through ARCHIVES',
      'libs/services/gateway/src/lib/fixture.ts',
      "import { ARCHIVES } from '@stevedore/exporter-http';\nexport const x = ARCHIVES;\n",
    ],
  ])('lets %s', async (_what, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });

  it('accepts a domain file that imports nothing forbidden', async () => {
    const found = await problems(
      'libs/domain/src/lib/fixture.ts',
      "import { createHash } from 'node:crypto';\nexport const h = createHash('sha256');\n",
    );
    expect(found).toEqual([]);
  });
});
