import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessLogEntry,
  Fixtures,
  RegistryHandle,
  SKOPEO,
  pushFixtures,
  skopeoCopy,
  startRegistry,
} from '@stevedore/testing';
import { killAllApps, runCommand } from './support/app-process';
import { Dockerd, dockerdAvailable, startDockerd } from './support/dockerd';
import { skipNote } from './support/skip-note';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
// dockerd falls back to the real Docker Hub when its mirror fails: a dead proxy keeps it on loopback.
const NO_HUB = {
  HTTPS_PROXY: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '127.0.0.1,localhost',
};

let upstream: RegistryHandle;
let fixtures: Fixtures;
let home: string;

beforeAll(async () => {
  upstream = await startRegistry();
  fixtures = await pushFixtures(upstream);
  // Docker Hub names the upstream serves as the docker.io mirror of Stevedore's own config.
  await skopeoCopy(
    upstream,
    `docker://${fixtures.multiLayer.reference}`,
    `docker://${upstream.host}/library/proxied:1`,
  );
  await skopeoCopy(
    upstream,
    `docker://${fixtures.multiLayer.reference}`,
    `docker://${upstream.host}/library/crowded:1`,
  );
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-registry-proxy-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await upstream?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const proxyConfig = () => ({
  'registry-mirrors': [upstream.url],
  'registry-proxy': { 'tag-revalidate-seconds': 3600 },
});

/** upstreamGets counts the upstream's successful GETs of each blob of `repository`. */
async function upstreamBlobGets(repository: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const prefix = `/v2/${repository}/blobs/`;
  for (const e of await upstream.accessLog())
    if (e.method === 'GET' && e.path.startsWith(prefix) && e.status < 300)
      counts.set(e.path.slice(prefix.length), (counts.get(e.path.slice(prefix.length)) ?? 0) + 1);
  return counts;
}

const touching = (log: AccessLogEntry[], repository: string) =>
  log.filter((e) => e.path.startsWith(`/v2/${repository}/`)).length;

describe(`a dockerd 20.10 with registry-mirrors pointing at Stevedore${skipNote(dockerdAvailable(), 'no dockerd')}`, () => {
  const runs = dockerdAvailable() ? it : it.skip;
  let stevedore: Topology;
  const daemons: Dockerd[] = [];

  beforeAll(async () => {
    stevedore = await startEmbedded(undefined, { daemonConfig: proxyConfig() });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await stevedore?.stop();
  });

  const pullThrough = async (image: string) => {
    const dockerd = await startDockerd([`--registry-mirror=${stevedore.registry}`], NO_HUB);
    daemons.push(dockerd);
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: home };
    return runCommand(DOCKER, ['pull', image], { ...env, DOCKER_HOST: dockerd.host }, 120_000);
  };

  runs(
    'pulls an image Stevedore fetches on demand, and a second daemon’s pull never reaches upstream',
    async () => {
      const before = touching(await upstream.accessLog(), 'library/busybox');
      const first = await pullThrough('busybox:latest');
      expect(`${first.code}\n${first.stdout}${first.stderr}`).toMatch(
        /^0\n[\s\S]*Status: Downloaded newer image for busybox:latest/,
      );
      const gets = await upstreamBlobGets('library/busybox');
      for (const layer of fixtures.busybox.layers ?? []) expect(gets.get(layer.digest)).toBe(1);
      const afterFirst = touching(await upstream.accessLog(), 'library/busybox');
      expect(afterFirst).toBeGreaterThan(before);

      const second = await pullThrough('busybox:latest');
      expect(second.code).toBe(0);
      expect(touching(await upstream.accessLog(), 'library/busybox')).toBe(afterFirst);
      const metrics = await (await fetch(`${stevedore.url}/metrics`)).text();
      expect(metrics).toContain(
        'stevedore_registry_operations_total{repository="library/busybox",operation="pull"} 2',
      );
      expect(metrics).toMatch(
        /stevedore_registry_content_total\{kind="manifest",result="miss"\} [1-9]/,
      );
      expect(metrics).toMatch(/stevedore_registry_content_total\{kind="blob",result="hit"\} [1-9]/);
    },
    300_000,
  );
});

describe('a tag the pull-through cache serves', () => {
  let stevedore: Topology;
  beforeAll(async () => {
    stevedore = await startEmbedded(undefined, {
      daemonConfig: {
        ...proxyConfig(),
        // Two upstream fetches per client, then one a minute: the third miss is refused.
        'registry-proxy': { 'tag-revalidate-seconds': 0, 'miss-burst': 2, 'misses-per-minute': 1 },
      },
    });
  }, 120_000);
  afterAll(async () => stevedore?.stop());

  const served = async () => {
    const res = await fetch(`${stevedore.registry}/v2/library/moving/manifests/1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    await res.arrayBuffer();
    return res.headers.get('docker-content-digest');
  };

  it('is revalidated upstream with a HEAD once stale, and follows the tag when it moved', async () => {
    const copy = (from: string) =>
      skopeoCopy(upstream, `docker://${from}`, `docker://${upstream.host}/library/moving:1`);
    await copy(fixtures.busybox.reference);
    expect(await served()).toBe(fixtures.busybox.manifestDigest);
    await copy(fixtures.multiLayer.reference);
    expect(await served()).toBe(fixtures.multiLayer.manifestDigest);
    const heads = (await upstream.accessLog()).filter(
      (e) => e.method === 'HEAD' && e.path === '/v2/library/moving/manifests/1',
    );
    expect(heads.length).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a client more upstream fetches than its rate with 429 and Retry-After', async () => {
    const res = await fetch(`${stevedore.registry}/v2/library/busybox/manifests/latest`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'TOOMANYREQUESTS',
    );
  });
});

describe('the pull-through cache behind two gateway replicas', () => {
  let stevedore: Topology;

  beforeAll(async () => {
    stevedore = await startCluster({
      daemonConfig: proxyConfig(),
      replicas: { gateway: 2, fetcher: 2 },
    });
  }, 180_000);
  afterAll(async () => stevedore?.stop());

  it('lets 10 concurrent cold pulls cause one upstream download per blob', async () => {
    const dirs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => mkdtemp(join(home, `pull-${i}-`))),
    );
    const results = await Promise.all(
      dirs.map((dir, i) => {
        const host = new URL(stevedore.registries[i % 2] as string).host;
        const args = ['copy', '--insecure-policy', '--quiet', '--src-tls-verify=false'];
        return runCommand(
          SKOPEO,
          [...args, `docker://${host}/library/crowded:1`, `dir:${dir}`],
          { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home },
          180_000,
        );
      }),
    );
    for (const r of results) expect(`${r.code} ${r.stderr}`).toBe('0 ');
    const gets = await upstreamBlobGets('library/crowded');
    const layers = fixtures.multiLayer.layers ?? [];
    expect(layers.length).toBeGreaterThan(1);
    for (const layer of layers) expect(gets.get(layer.digest)).toBe(1);
    // The config too: the resolver shares one read of it among concurrent resolves.
    expect(gets.get(fixtures.multiLayer.configDigest ?? '')).toBe(1);
  }, 300_000);

  it('serves what a pull brought under the repository that pulled it, on either replica, and under no other name', async () => {
    const layer = fixtures.multiLayer.layers?.[0]?.digest as string;
    for (const registry of stevedore.registries) {
      const res = await fetch(`${registry}/v2/library/crowded/blobs/${layer}`, { method: 'HEAD' });
      expect(res.status).toBe(200);
    }
    // Not in that repository (upstream has no such name): unknown at once, not after blob-wait-seconds.
    const started = Date.now();
    const res = await fetch(`${stevedore.registries[1]}/v2/library/elsewhere/blobs/${layer}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'BLOB_UNKNOWN',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
