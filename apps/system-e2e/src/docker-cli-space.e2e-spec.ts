import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-space-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('prune, system df and container commands against the %s topology', (_name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
  const layersSize = async (): Promise<number> =>
    ((await (await fetch(`${stevedore.url}/v1.50/system/df`)).json()) as { LayersSize: number })
      .LayersSize;

  beforeAll(async () => {
    stevedore = await start();
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
    const { busybox, multiLayer } = fixtures;
    expect((await docker('pull', '-q', busybox.reference)).code).toBe(0);
    // Pulled by digest only: no tag, so it is dangling.
    expect(
      (
        await docker(
          'pull',
          '-q',
          `${multiLayer.reference.replace(/:[^:/]+$/, '')}@${multiLayer.manifestDigest}`,
        )
      ).code,
    ).toBe(0);
  }, 180_000);

  afterAll(async () => stevedore?.stop());

  it('`docker system df` counts the images and the bytes the store holds', async () => {
    const result = await docker('system', 'df');
    expect(result.code).toBe(0);
    const images = lines(result.stdout).find((l) => l.startsWith('Images'));
    expect(images).toMatch(/^Images\s+2\s+0\s+\S+B\s+\S+B \(100%\)$/);
    expect(await layersSize()).toBeGreaterThan(0);
  });

  it('`docker image prune -f` removes only the dangling image', async () => {
    const before = await layersSize();
    const result = await docker('image', 'prune', '-f');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    // As Docker prints it: the references, the image ID, then its layers, then the total.
    expect(out.slice(0, 3)).toEqual([
      'Deleted Images:',
      expect.stringMatching(/^untagged: .*@sha256:/),
      `deleted: ${fixtures.multiLayer.configDigest}`,
    ]);
    expect(out.slice(3, -1).every((l) => /^deleted: sha256:[a-f0-9]{64}$/.test(l))).toBe(true);
    expect(out.at(-1)).toMatch(/^Total reclaimed space: \d+(\.\d+)?[kMG]?B$/);
    const listed = await docker('images', '--format', '{{.Repository}}:{{.Tag}}');
    expect(lines(listed.stdout)).toEqual([fixtures.busybox.reference]);
    const multiBytes = (fixtures.multiLayer.layers ?? []).reduce((s, l) => s + l.size, 0);
    expect(before - (await layersSize())).toBeGreaterThanOrEqual(multiBytes);
  });

  it('`docker image prune -a -f` removes the rest, reclaiming exactly what the store freed', async () => {
    const before = await layersSize();
    const res = await fetch(
      `${stevedore.url}/v1.50/images/prune?filters=${encodeURIComponent('{"dangling":{"false":true}}')}`,
      { method: 'POST' },
    );
    const body = (await res.json()) as { ImagesDeleted: object[]; SpaceReclaimed: number };
    expect(body.ImagesDeleted).toEqual(
      expect.arrayContaining([
        { Untagged: fixtures.busybox.reference },
        { Deleted: fixtures.busybox.configDigest },
      ]),
    );
    expect(body.SpaceReclaimed).toBe(before - (await layersSize()));
    const again = await docker('image', 'prune', '-a', '-f');
    expect(lines(again.stdout)).toEqual(['Total reclaimed space: 0B']);
    const bad = await docker('image', 'prune', '-f', '--filter', 'color=red');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Error response from daemon: invalid filter 'color'\n");
  });

  it('`docker inspect` of a name that is neither a container nor an image answers 404', async () => {
    const inspect = await docker('inspect', 'some-container');
    expect(inspect.code).toBe(1);
    expect(inspect.stderr).toContain('No such object: some-container');
  });
});
