import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps, runCommand } from './support/app-process';
import { Topology, TopologyOptions, startCluster, startEmbedded } from './support/topology';

// Issue 13: every image call of the two SDKs, made as their users make them, through both
// topologies: docker-py 5.0.3 (Debian's python3-docker, one script: support/docker-py-images.py)
// and dockerode 5 (here). The testbed registry is where pushes go, and it mirrors Docker Hub.
const DOCKER_PY_SCRIPT = join(__dirname, 'support', 'docker-py-images.py');

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-sdk-images-'));
}, 120_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const options = (): TopologyOptions => ({
  daemonConfig: { 'registry-mirrors': [registry.url], 'insecure-registries': [registry.host] },
});

/** collect reads a dockerode JSON-lines stream to its end (`followProgress`), its lines in order. */
function collect(
  stream: NodeJS.ReadableStream,
  docker: Docker,
): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, lines: Record<string, unknown>[]) =>
      err ? reject(err) : resolve(lines),
    ),
  );
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** dockerode's `getImages` (save several images), missing from @types/dockerode. */
interface SaveMany {
  getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream>;
}

/** dockerode's `pullAll` (every tag of a repository), missing from @types/dockerode. */
interface PullAll {
  pullAll(repository: string): Promise<NodeJS.ReadableStream>;
}

/** rootfsTar is a one-file root filesystem to import. */
async function rootfsTar(): Promise<Buffer> {
  const { stdout } = await promisify(execFile)('tar', ['-cf', '-', '-C', '/etc', 'hostname'], {
    encoding: 'buffer',
  });
  return stdout;
}

const tagsOf = (images: Docker.ImageInfo[]) => images.flatMap((i) => i.RepoTags ?? []).sort();
const seconds = () => Math.floor(Date.now() / 1000);

describe.each([
  ['embedded', () => startEmbedded(undefined, options())],
  ['cluster', () => startCluster(options())],
] as const)('image calls through the Docker SDKs (%s)', (name, start) => {
  let stevedore: Topology;
  let docker: Docker;
  let at140: Docker;
  let busybox: string;
  const prefix = `sdk-${name}`;

  beforeAll(async () => {
    stevedore = await start();
    const { hostname, port } = new URL(stevedore.url);
    docker = new Docker({ host: hostname, port: Number(port), protocol: 'http' });
    at140 = new Docker({ host: hostname, port: Number(port), protocol: 'http', version: 'v1.40' });
    busybox = fixtures.busybox.reference;
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  describe('docker-py 5.0.3', () => {
    let seen: Record<string, Record<string, unknown> & { error?: string }>;
    const at = (step: string) => seen[step] as Record<string, unknown>;

    beforeAll(async () => {
      const dir = await mkdtemp(join(scratch, `${name}-py-`));
      const url = stevedore.url.replace(/^http:/, 'tcp:');
      const result = await runCommand(
        '/usr/bin/python3',
        [DOCKER_PY_SCRIPT, url, registry.host, `${prefix}-py`, dir],
        { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir },
        120_000,
      );
      expect(result.stderr).toBe('');
      seen = JSON.parse(result.stdout) as typeof seen;
    }, 150_000);

    it('raised no error at any step', () => {
      const failed = Object.entries(seen).filter(([, v]) => v && 'error' in v && 'status' in v);
      expect(failed).toEqual([]);
    });

    it('pulls one tag, one platform of an index, and every tag of a Docker Hub name (mirror)', () => {
      expect(at('pull')).toEqual({
        id: fixtures.busybox.configDigest,
        tags: [`${busybox}`],
      });
      expect(at('pullPlatform')).toEqual({ arch: 'arm64', variant: 'v8' });
      // The tags pulled name the image busybox is (same config): docker-py lists all its tags.
      expect(at('pullAllTags')).toEqual([busybox, `${prefix}-py-hub:a`, `${prefix}-py-hub:b`]);
    });

    it('lists with filters, and with the legacy `filter` below API 1.41', () => {
      const multiArch = fixtures.multiArch.reference;
      expect(at('list')).toEqual({
        all: [busybox, multiArch].sort(),
        name: [busybox],
        label: [],
        dangling: [],
        legacyFilter: [busybox],
        filter140named: [busybox],
      });
    });

    it('inspects at API 1.41 with the keys dockerd 20.10 sent (Config.Entrypoint, VirtualSize, ContainerConfig)', () => {
      expect(at('inspect')).toEqual({
        id: fixtures.busybox.configDigest,
        entrypoint: null,
        cmd: expect.any(Array),
        env: true,
        workingDir: '',
        user: '',
        labels: null,
        volumes: null,
        onBuild: null,
        virtualSize: true,
        containerConfig: true,
        repoDigests: [`${registry.host}/library/busybox@${fixtures.busybox.manifestDigest}`],
        os: 'linux',
        autoVersion: expect.stringMatching(/^1\.5\d$/),
        autoEntrypoint: false,
      });
    });

    it('raises ImageNotFound (404, dockerd’s words) for an image that is not here', () => {
      expect(at('missing')).toEqual({
        status: 404,
        explanation: `No such image: ${prefix}-py/no-such:1`,
      });
    });

    it('shows the history, the top layer tagged', () => {
      const history = seen['history'] as unknown as { keys: string[]; tags: string[] | null }[];
      expect(history.length).toBeGreaterThan(0);
      expect(history[0]?.keys).toEqual(['Comment', 'Created', 'CreatedBy', 'Id', 'Size', 'Tags']);
      expect(history[0]?.tags).toEqual([busybox]);
    });

    it('searches the registry and reads its distribution data (platforms of an index)', () => {
      // The testbed registry is the configured Docker Hub mirror: its repositories are named as
      // Docker Hub's (library/busybox is busybox).
      const results = seen['search'] as unknown as { name: string }[];
      expect(results.map((r) => r.name)).toEqual(['busybox']);
      expect(at('registryData')).toEqual({
        id: fixtures.manifestList.manifestDigest,
        arm64: true,
        s390x: false,
        platforms: ['linux/amd64', 'linux/arm', 'linux/arm64'],
      });
    });

    it('saves a named tarball, removes the image, and loads it back under the same ID and tag', () => {
      const round = at('saveLoad');
      expect(round['repoTags']).toEqual([busybox]);
      expect(round['gone']).toEqual([]);
      expect(round['loaded']).toEqual([round['id']]);
      expect(round['tags']).toEqual([busybox]);
    });

    it('tags and pushes two tags to the registry', () => {
      expect(at('push')).toEqual({
        tagged: [true, true],
        errors: [],
        aux: ['a', 'b'],
        tags: [
          busybox,
          `${registry.host}/library/${prefix}-py-hub:a`,
          `${registry.host}/library/${prefix}-py-hub:b`,
        ].sort(),
      });
    });

    it('imports a tarball with changes (and one without a name, dangling)', () => {
      expect(at('import')).toEqual({
        answer: 'sha256:',
        env: ['A=1'],
        cmd: ['x'],
        layers: 1,
        dangling: 'sha256:',
      });
    });

    it('refuses to remove an image by ID while two repositories name it (409), then untags', () => {
      const removed = at('remove');
      expect(removed['conflict']).toEqual({
        status: 409,
        explanation: expect.stringMatching(
          /^conflict: unable to delete [0-9a-f]{12} \(must be forced\) - image is referenced in multiple repositories$/,
        ),
      });
      expect(removed['tags']).not.toContain(`${prefix}-py/extra:1`);
    });

    it('sees its pulls in the events of the run (since/until, type and event filters)', () => {
      expect(seen['events']).toEqual(
        expect.arrayContaining([`${busybox}`, `${fixtures.multiArch.reference}`]),
      );
    });

    it('reads system df and the registry config of info', () => {
      expect(at('df')).toEqual({
        keys: ['BuildCache', 'BuilderSize', 'Containers', 'Images', 'LayersSize', 'Volumes'],
        layers: true,
        images: expect.arrayContaining([busybox, fixtures.multiArch.reference]),
        builderSize: 0,
      });
      expect(at('info')).toEqual({ mirrors: [`${registry.url}/`], insecure: false });
    });

    it('prunes the dangling image, then every unused one', () => {
      const pruned = at('prune');
      expect(pruned['dangling']).toBe(1);
      expect(pruned['reclaimed']).toEqual(expect.any(Number));
      expect(pruned['all']).toEqual(expect.arrayContaining([busybox, `${prefix}-py/imported:1`]));
      expect(pruned['left']).toEqual([]);
    });
  });

  describe('dockerode', () => {
    const pushed = () => `${registry.host}/${prefix}-node/pushed`;
    let since: number;

    beforeAll(() => {
      since = seconds();
    });

    it('pulls a tag, and one platform of an index', async () => {
      const lines = await collect(await docker.pull(busybox), docker);
      expect(lines.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${busybox}` });
      const arm = await collect(
        await docker.pull(fixtures.multiArch.reference, { platform: 'linux/arm/v7' }),
        docker,
      );
      expect(arm.filter((l) => 'error' in l)).toEqual([]);
      const image = await docker.getImage(fixtures.multiArch.reference).inspect();
      expect([image.Architecture, image.Variant]).toEqual(['arm', 'v7']);
    });

    it('inspects, tags and reads the history', async () => {
      const image = docker.getImage(busybox);
      const attrs = await image.inspect();
      expect(attrs.Id).toBe(fixtures.busybox.configDigest);
      await image.tag({ repo: pushed(), tag: 'one' });
      expect((await docker.getImage(`${pushed()}:one`).inspect()).Id).toBe(attrs.Id);
      const history = await image.history();
      expect(history[0]?.Tags).toEqual(expect.arrayContaining([busybox, `${pushed()}:one`]));
    });

    it('lists with filters, and with the legacy `filter` at API 1.40', async () => {
      expect(tagsOf(await docker.listImages({ filters: { reference: [busybox] } }))).toEqual([
        busybox,
      ]);
      const filtered = await at140.listImages({ filter: pushed() } as Docker.ListImagesOptions);
      expect(tagsOf(filtered)).toEqual([`${pushed()}:one`]);
      expect(tagsOf(await docker.listImages({ filters: { dangling: ['true'] } }))).toEqual([]);
    });

    it('pushes to the registry and reads the distribution data back', async () => {
      const lines = await collect(
        await docker.getImage(`${pushed()}:one`).push({ tag: 'one' }),
        docker,
      );
      expect(lines.filter((l) => 'error' in l)).toEqual([]);
      const aux = lines.find((l) => 'aux' in l)?.['aux'] as { Digest: string };
      expect(aux.Digest).toBe(fixtures.busybox.manifestDigest);
      // Every tag of the repository, as `docker pull -a` (dockerode's pullAll): the one tag is
      // already here on the same image, so it is up to date (dockerd's words).
      const pullAll = (docker as unknown as PullAll).pullAll.bind(docker);
      const all = await collect(await pullAll(pushed()), docker);
      expect(all.filter((l) => 'error' in l)).toEqual([]);
      expect(all.at(-1)).toEqual({ status: `Status: Image is up to date for ${pushed()}` });
      const data = await docker.getImage(`${pushed()}:one`).distribution();
      expect(data.Descriptor.digest).toBe(fixtures.busybox.manifestDigest);
      expect(data.Platforms).toEqual([{ architecture: 'amd64', os: 'linux' }]);
    });

    it('searches the registry, the repository just pushed included', async () => {
      // Docker Hub names, as the registry is the configured mirror (see the docker-py case).
      const search = async (term: string) =>
        ((await docker.searchImages({ term })) as { name: string }[]).map((r) => r.name);
      expect(await search(`${registry.host}/multi`)).toEqual([
        'test/multi-arch',
        'test/multi-layer',
      ]);
      expect(await search(`${registry.host}/${prefix}-node`)).toEqual([`${prefix}-node/pushed`]);
    });

    it('saves and loads back (get, getImages, loadImage)', async () => {
      const one = await bytesOf(await docker.getImage(busybox).get());
      // dockerode's getImages (GET /images/get?names=…), which its typings leave out.
      const saveMany = (docker as unknown as SaveMany).getImages.bind(docker);
      const both = await bytesOf(
        await saveMany({ names: [busybox, fixtures.multiArch.reference] }),
      );
      expect(both.length).toBeGreaterThan(one.length);
      await docker.getImage(fixtures.busybox.configDigest as string).remove({ force: true });
      const loaded = await collect(await docker.loadImage(Readable.from(one)), docker);
      expect(loaded.map((l) => l['stream'])).toContain(`Loaded image: ${busybox}\n`);
      expect((await docker.getImage(busybox).inspect()).Id).toBe(fixtures.busybox.configDigest);
    });

    it('imports a tarball with changes', async () => {
      const tar = await rootfsTar();
      const lines = await collect(
        await docker.importImage(Readable.from(tar), {
          repo: `${prefix}-node/imported`,
          tag: '1',
          changes: ['ENV N=1'],
        } as Record<string, unknown>),
        docker,
      );
      expect(String(lines[0]?.['status'])).toMatch(/^sha256:[0-9a-f]{64}$/);
      const attrs = await docker.getImage(`${prefix}-node/imported:1`).inspect();
      expect(attrs.Config.Env).toEqual(['N=1']);
    });

    it('refuses to remove an image two repositories name (409), then untags one', async () => {
      await docker.getImage(busybox).tag({ repo: `${prefix}-node/extra`, tag: '1' });
      await expect(
        docker.getImage(fixtures.busybox.configDigest as string).remove(),
      ).rejects.toMatchObject({ statusCode: 409 });
      expect(await docker.getImage(`${prefix}-node/extra:1`).remove()).toEqual([
        { Untagged: `${prefix}-node/extra:1` },
      ]);
    });

    it('sees pulls and tags in the events (since/until and filters)', async () => {
      const stream = await docker.getEvents({
        since,
        until: seconds() + 1,
        filters: { type: ['image'], event: ['pull', 'tag'] },
      });
      const events = (await bytesOf(stream))
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(
          (l) =>
            JSON.parse(l) as {
              Action: string;
              Actor: { ID: string; Attributes: Record<string, string> };
            },
        );
      // As dockerd: a pull names the reference, a tag the image ID with the new name as `name`.
      const seenEvents = events.map((e) =>
        e.Action === 'tag'
          ? `tag ${e.Actor.ID} ${e.Actor.Attributes['name']}`
          : `pull ${e.Actor.ID}`,
      );
      expect(seenEvents).toEqual(
        expect.arrayContaining([
          `pull ${busybox}`,
          `tag ${fixtures.busybox.configDigest} ${pushed()}:one`,
        ]),
      );
      expect(events.every((e) => e.Action === 'pull' || e.Action === 'tag')).toBe(true);
    });

    it('reads df and info', async () => {
      const usage = (await docker.df()) as { LayersSize: number; Images: Docker.ImageInfo[] };
      expect(usage.LayersSize).toBeGreaterThan(0);
      expect(tagsOf(usage.Images)).toEqual(expect.arrayContaining([busybox]));
      const info = (await docker.info()) as {
        RegistryConfig: { Mirrors: string[]; IndexConfigs: Record<string, { Secure: boolean }> };
      };
      expect(info.RegistryConfig.Mirrors).toEqual([`${registry.url}/`]);
      expect(info.RegistryConfig.IndexConfigs[registry.host]?.Secure).toBe(false);
    });

    it('prunes dangling, then all unused images', async () => {
      await collect(
        await docker.importImage(Readable.from(await rootfsTar()), {} as Record<string, unknown>),
        docker,
      );
      const dangling = await docker.pruneImages({ filters: { dangling: { true: true } } });
      expect(dangling.ImagesDeleted?.length).toBe(1);
      const everything = await docker.pruneImages({ filters: { dangling: { false: true } } });
      expect(everything.ImagesDeleted?.map((d) => d.Untagged).filter(Boolean)).toEqual(
        expect.arrayContaining([busybox, `${prefix}-node/imported:1`]),
      );
      expect(await docker.listImages()).toEqual([]);
    });
  });
});
