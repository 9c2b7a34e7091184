import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { UpstreamModule } from '@stevedore/registry-client';
import { FetcherServiceModule } from '@stevedore/service-fetcher';
import { ResolverServiceModule } from '@stevedore/service-resolver';
import { type RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import {
  type BuildTestbed,
  buildMessages,
  buildRequest,
  startBuildTestbed,
} from './testing/build-testbed';

describe('docker build pulling its FROM image through the fetcher, as docker pull does', () => {
  let dir: string;
  let registry: RegistryHandle;
  let testbed: BuildTestbed | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stevedore-build-pull-'));
    registry = await startRegistry();
    await pushFixtures(registry);
    const daemon = {
      registryMirrors: [],
      insecureRegistries: [registry.host],
      importUrlAllowlist: [],
    };
    testbed = await startBuildTestbed({
      dir,
      imports: [
        UpstreamModule.forRoot(daemon),
        ResolverServiceModule,
        FetcherServiceModule.forRoot({ coordination: 'local' }),
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.close();
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls a missing base image with dockerd’s status lines, then runs on it', async () => {
    const from = `${registry.host}/library/busybox:latest`;
    const p = pack();
    p.entry({ name: 'Dockerfile' }, `FROM ${from}\nRUN echo pulled\n`);
    p.finalize();
    const out = await (testbed as BuildTestbed).builder.build(
      buildRequest(),
      { body: Readable.from(p) },
      new AbortController().signal,
    );
    const messages = await buildMessages(out);
    const statuses = messages.filter((m) => m['status']).map((m) => m['status']);
    expect(statuses[0]).toBe('Pulling from library/busybox');
    expect(statuses).toContain('Pull complete');
    expect(statuses.at(-2)).toMatch(/^Digest: sha256:[0-9a-f]{64}$/);
    expect(statuses.at(-1)).toBe(`Status: Downloaded newer image for ${from}`);
    expect(messages.map((m) => m['stream'] ?? '').join('')).toContain('pulled\n');
  });
});
