import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  FixtureImage,
  Fixtures,
  RegistryHandle,
  pushFixtures,
  startRegistry,
} from '@stevedore/testing';
import { killAllApps, runCommand } from './support/app-process';
import { download, pull, PullLine } from './support/native-api';
import { Topology, startCluster, startEmbedded } from './support/topology';

const run = promisify(execFile);
let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-pull-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function expectBlobsComplete(lines: PullLine[], layers: { digest: string; size: number }[]): void {
  for (const layer of layers) {
    const events = lines.filter((l) => l.event === 'blob' && l.digest === layer.digest);
    expect(events[0]).toMatchObject({ state: 'queued', current: 0, total: layer.size });
    expect(events.at(-1)).toMatchObject({ current: layer.size, total: layer.size });
    expect(['done', 'exists']).toContain(events.at(-1)?.state);
  }
}

function imageOf(lines: PullLine[]) {
  const last = lines.at(-1);
  expect(last?.event).toBe('image');
  return last?.image;
}

describe.each([
  ['embedded', startEmbedded],
  ['cluster', startCluster],
] as const)('native API pull, %s topology', (_name, start) => {
  let stevedore: Topology;
  beforeAll(async () => {
    stevedore = await start();
  }, 120_000);
  afterAll(async () => stevedore?.stop());

  it('answers the docker CLI: `docker version` shows API 1.50 for client and server', async () => {
    const docker = await runCommand(
      '/usr/local/bin/docker',
      ['version', '--format', '{{.Client.APIVersion}} {{.Server.APIVersion}}'],
      {
        DOCKER_HOST: stevedore.url.replace('http://', 'tcp://'),
      },
    );
    expect(docker).toMatchObject({ code: 0, stdout: '1.50 1.50\n' });
  });

  it('pulls busybox and the multi-layer image, byte counts ending at each blob size', async () => {
    for (const image of [fixtures.busybox, fixtures.multiLayer]) {
      const lines = await pull(stevedore.url, image.reference);
      expectBlobsComplete(lines, image.layers ?? []);
      expect(imageOf(lines)).toMatchObject({ id: image.configDigest, repoTags: [image.reference] });
    }
  });

  it('pulls one platform of the multi-arch index', async () => {
    const arm64 = fixtures.multiArch.platforms?.find((p) => p.platform.startsWith('linux/arm64'));
    const lines = await pull(stevedore.url, fixtures.multiArch.reference, 'linux/arm64');
    expectBlobsComplete(lines, arm64?.layers ?? []);
    expect(imageOf(lines)).toMatchObject({ id: arm64?.configDigest, architecture: 'arm64' });
  });

  it('lists and inspects what it pulled', async () => {
    const listed = (await (await fetch(`${stevedore.url}/api/v1/images`)).json()) as {
      id: string;
    }[];
    expect(listed.map((i) => i.id)).toEqual(
      expect.arrayContaining([fixtures.busybox.configDigest, fixtures.multiLayer.configDigest]),
    );
    const inspected = (await (
      await fetch(`${stevedore.url}/api/v1/images/${fixtures.multiLayer.reference}`)
    ).json()) as { id: string };
    expect(inspected.id).toBe(fixtures.multiLayer.configDigest);
    expect((await fetch(`${stevedore.url}/api/v1/images/nope:missing`)).status).toBe(404);
  });

  it("streams an archive that skopeo loads with the registry's layer digests", async () => {
    await expectArchiveLoads(stevedore, fixtures.multiLayer, `${_name}-multi`);
  });

  if (_name === 'cluster') {
    it('runs each service as its own process and survives a fetcher restart between pulls', async () => {
      const pids = new Set([...stevedore.processes.values()].map((p) => p.pid));
      expect(pids.size).toBe(7);
      await stevedore.restart('fetcher');
      const arm = fixtures.multiArch.platforms?.find((p) => p.platform.startsWith('linux/arm/v7'));
      const lines = await pull(stevedore.url, fixtures.multiArch.reference, 'linux/arm/v7');
      expectBlobsComplete(lines, arm?.layers ?? []);
      expect(imageOf(lines)).toMatchObject({ id: arm?.configDigest });
    });
  }
});

async function expectArchiveLoads(
  stevedore: Topology,
  image: FixtureImage,
  name: string,
): Promise<void> {
  const tar = join(scratch, `${name}.tar`);
  await download(stevedore.url, `/api/v1/images/${image.reference}/archive`, tar);
  // Read as an OCI layout, the tar holds the registry's original (compressed) layers byte for byte.
  const fromOci = await copiedManifest(`oci-archive:${tar}`, join(scratch, `${name}-from-oci`));
  expect(fromOci.layers.map((l) => l.digest)).toEqual(image.layers?.map((l) => l.digest));
  expect(fromOci.config.digest).toBe(image.configDigest);
  // Read as a docker-save archive, skopeo names layers by diff ID (it decompresses them), which
  // must be exactly the config's rootfs: so `docker load` of this tar rebuilds the same image.
  const fromDocker = await copiedManifest(
    `docker-archive:${tar}`,
    join(scratch, `${name}-from-docker`),
  );
  const config = JSON.parse(
    await readFile(join(scratch, `${name}-from-oci`, fromOci.config.digest.slice(7)), 'utf8'),
  ) as { rootfs: { diff_ids: string[] } };
  expect(fromDocker.layers.map((l) => l.digest)).toEqual(config.rootfs.diff_ids);
  expect(fromDocker.config.digest).toBe(image.configDigest);
}

/** copiedManifest copies `source` to a `dir:` layout (which keeps each layer's compression as it is) and returns the manifest. */
async function copiedManifest(
  source: string,
  dir: string,
): Promise<{ config: { digest: string }; layers: { digest: string }[] }> {
  await run('skopeo', ['copy', '--quiet', source, `dir:${dir}`]);
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
}
