import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Fixtures,
  RegistryHandle,
  pushFixtures,
  skopeoCopy,
  startRegistry,
} from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { dockerdAvailable, startDockerd } from './support/dockerd';
import { skipNote } from './support/skip-note';
import { Topology, TopologyOptions, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let dockerConfig: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  // A repository with two tags on two different images, for `docker pull -a`.
  await skopeoCopy(
    registry,
    `docker://${fixtures.busybox.reference}`,
    `docker://${registry.host}/e2e/alltags:1.0`,
  );
  await skopeoCopy(
    registry,
    `docker://${fixtures.multiLayer.reference}`,
    `docker://${registry.host}/e2e/alltags:2.0`,
  );
  // The same two tags under a Docker Hub name, which only the mirror (this testbed) serves.
  for (const [tag, image] of [
    ['1.0', fixtures.busybox],
    ['2.0', fixtures.multiLayer],
  ] as const)
    await skopeoCopy(
      registry,
      `docker://${image.reference}`,
      `docker://${registry.host}/library/mirroralltags:${tag}`,
    );
  dockerConfig = await mkdtemp(join(tmpdir(), 'stevedore-e2e-docker-pull-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (dockerConfig !== undefined) await rm(dockerConfig, { recursive: true, force: true });
});

const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);
const withDockerd = dockerdAvailable() ? it : it.skip;

describe.each([
  ['embedded', (o: TopologyOptions) => startEmbedded(undefined, o)],
  ['cluster', (o: TopologyOptions) => startCluster(o)],
] as const)('docker pull variants against the %s topology', (_name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    // Docker Hub names go to the testbed through registry-mirrors, as a platform team's offline cache would.
    stevedore = await start({ daemonConfig: { 'registry-mirrors': [registry.url] } });
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dockerConfig,
      DOCKER_CONFIG: dockerConfig,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it('`docker pull busybox` resolves Docker Hub through the configured mirror, offline', async () => {
    const result = await docker('pull', 'busybox');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toBe('Using default tag: latest');
    expect(out[1]).toBe('latest: Pulling from library/busybox');
    expect(out).toContain(`Digest: ${fixtures.busybox.manifestDigest}`);
    expect(out).toContain('Status: Downloaded newer image for busybox:latest');
    expect(out.at(-1)).toBe('docker.io/library/busybox:latest');
    const id = await docker('image', 'inspect', '--format', '{{.Id}}', 'busybox');
    expect(id.stdout.trim()).toBe(fixtures.busybox.configDigest);
  });

  withDockerd(
    `a pull of an image already present prints what dockerd 20.10 prints, no layer rows${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
    async () => {
      const oracle = await startDockerd();
      try {
        const ref = fixtures.multiLayer.reference;
        const theirs = (...args: string[]) =>
          runCommand(DOCKER, args, { ...env, DOCKER_HOST: oracle.host }, 60_000);
        await Promise.all([docker('pull', ref), theirs('pull', ref)]);
        const [ours, expected] = await Promise.all([docker('pull', ref), theirs('pull', ref)]);
        expect(expected.code).toBe(0);
        expect(lines(expected.stdout)).toEqual([
          `${fixtures.multiLayer.tag}: Pulling from ${fixtures.multiLayer.repository}`,
          `Digest: ${fixtures.multiLayer.manifestDigest}`,
          `Status: Image is up to date for ${ref}`,
          ref,
        ]);
        expect(ours.stdout).toBe(expected.stdout);
        expect(ours.code).toBe(0);
      } finally {
        await oracle.stop();
      }
    },
    120_000,
  );

  it('`docker pull -q` prints only the reference', async () => {
    const result = await docker('pull', '-q', fixtures.multiLayer.reference);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([fixtures.multiLayer.reference]);
  });

  it('`docker pull -a` pulls every tag of the repository, each in its own section', async () => {
    const repo = `${registry.host}/e2e/alltags`;
    const result = await docker('pull', '-a', repo);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    // Sections come in the registry's tag order, which is not necessarily lexical.
    expect(out.filter((l) => l.includes(': Pulling from ')).sort()).toEqual([
      '1.0: Pulling from e2e/alltags',
      '2.0: Pulling from e2e/alltags',
    ]);
    expect(out.filter((l) => l.startsWith('Digest: ')).sort()).toEqual(
      [
        `Digest: ${fixtures.busybox.manifestDigest}`,
        `Digest: ${fixtures.multiLayer.manifestDigest}`,
      ].sort(),
    );
    expect(out.filter((l) => l.startsWith('Status: '))).toEqual([
      `Status: Downloaded newer image for ${repo}`,
    ]);
    expect(out.at(-1)).toBe(repo);
    const listed = await docker('images', '--format', '{{.Tag}} {{.ID}}', repo);
    expect(lines(listed.stdout).sort()).toEqual([
      `1.0 ${fixtures.busybox.configDigest?.slice(7, 19)}`,
      `2.0 ${fixtures.multiLayer.configDigest?.slice(7, 19)}`,
    ]);
  });

  it('`docker pull -a <Docker Hub name>` lists and pulls the tags through the mirror', async () => {
    const result = await docker('pull', '-a', 'mirroralltags');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    expect(out.filter((l) => l.includes(': Pulling from ')).sort()).toEqual([
      '1.0: Pulling from library/mirroralltags',
      '2.0: Pulling from library/mirroralltags',
    ]);
    expect(out.at(-1)).toBe('docker.io/library/mirroralltags');
    // The listing came from the mirror: Docker Hub was never needed (this test runs offline).
    const listings = (await registry.accessLog()).filter(
      (e) => e.method === 'GET' && e.path === '/v2/library/mirroralltags/tags/list',
    );
    expect(listings.map((e) => e.status)).toContain(200);
  });

  it('`docker pull -a` of a repository the registry does not have fails with Docker’s message', async () => {
    const result = await docker('pull', '-a', `${registry.host}/e2e/nothing-here`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^Error response from daemon: pull access denied for ${registry.host}/e2e/nothing-here, repository does not exist or may require 'docker login': `,
      ),
    );
  });
});
