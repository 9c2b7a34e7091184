import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  HttpFaultProxy,
  RegistryHandle,
  startHttpFaultProxy,
  startRegistry,
} from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { pushLayeredImage } from './support/big-image';
import { Topology, startCluster, startEmbedded } from './support/topology';

// A cold pull-through streams each blob to its client while the fetcher brings it into the store:
// a throttled upstream (the HTTP fault proxy) shows the client's first bytes arriving while the
// upstream is still sending, an upstream gone mid-blob breaks the client's download, and ten
// clients still cost one upstream download.
const SIZE = 8 * 1024 * 1024;
const RATE = 4 * 1024 * 1024;

let registry: RegistryHandle;
let proxy: HttpFaultProxy;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startHttpFaultProxy(registry.url);
}, 120_000);

afterAll(async () => {
  await killAllApps();
  await proxy?.stop();
  await registry?.stop();
});

// Docker Hub names reach the upstream through the fault proxy, Stevedore's registry mirror.
const daemonConfig = () => ({ 'registry-mirrors': [proxy.url], 'registry-proxy': true });

const topologies: [string, () => Promise<Topology>][] = [
  ['embedded', () => startEmbedded(undefined, { daemonConfig: daemonConfig() })],
  [
    'cluster',
    () =>
      startCluster({
        daemonConfig: daemonConfig(),
        replicas: { gateway: 2, fetcher: 2, blobstore: 2 },
        runtime: false,
      }),
  ],
];

/** upstreamGets are the upstream's GETs of one blob so far, with the bytes each has sent. */
const upstreamGets = (digest: string) =>
  proxy.requests().filter((r) => r.method === 'GET' && r.path.endsWith(`/blobs/${digest}`));

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A cold image of one layer on the upstream: a repository and seed no other test uses. */
let images = 0;
async function coldLayer(name: string) {
  images += 1;
  const repository = `library/stream-${name}-${images}`;
  const image = await pushLayeredImage(registry.host, repository, [SIZE], 9100 + images * 10);
  return { repository, digest: image.layers[0]?.digest ?? '' };
}

async function getManifest(base: string, repository: string): Promise<void> {
  const res = await fetch(`${base}/v2/${repository}/manifests/v1`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

/** readBlob GETs a blob and reads it, noting the upstream's progress when the first bytes came. */
async function readBlob(base: string, repository: string, digest: string) {
  const res = await fetch(`${base}/v2/${repository}/blobs/${digest}`);
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Buffer[] = [];
  let upstreamAtFirstBytes: number | undefined;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    upstreamAtFirstBytes ??= upstreamGets(digest).reduce((sum, r) => sum + r.bytesSent, 0);
    chunks.push(Buffer.from(next.value));
  }
  const length = Number(res.headers.get('content-length'));
  return { bytes: Buffer.concat(chunks), length, upstreamAtFirstBytes };
}

/** An answer's status, the headers a blob's answer has in common with the upstream's, and its bytes. */
async function answer(url: string, init: { method?: string; range?: string } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.range ? { range: init.range } : {},
  });
  const headers = ['content-length', 'content-range', 'docker-content-digest'].map((name) => [
    name,
    res.headers.get(name),
  ]);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: Object.fromEntries(headers), bytes };
}

/**
 * refusedRange asks for a range past the blob: the status and Content-Range only (the CNCF
 * registry's 416 announces the blob's length as its body's and then closes the connection).
 */
async function refusedRange(url: string, size: number) {
  const res = await fetch(url, { headers: { range: `bytes=${size}-` } });
  await res.body?.cancel();
  return { status: res.status, range: res.headers.get('content-range') };
}

const stored = (topology: Topology, digest: string) =>
  access(join(topology.dataRoot, 'content', 'blobs', 'sha256', digest.slice('sha256:'.length)))
    .then(() => true)
    .catch(() => false);

/** committed waits a little for the fetcher's commit, which may follow the client's last byte. */
async function committed(topology: Topology, digest: string): Promise<boolean> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (await stored(topology, digest)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe.each(topologies)('a cold pull-through, %s', (name, start) => {
  let stevedore: Topology;
  beforeAll(async () => (stevedore = await start()), 180_000);
  afterAll(async () => stevedore?.stop());
  afterEach(() => proxy.reset());

  it('streams a blob to the client while the upstream still sends it, byte for byte', async () => {
    const { repository, digest } = await coldLayer(name);
    proxy.setRule({ pathPattern: new RegExp(`/blobs/${digest}$`), bytesPerSecond: RATE });
    await getManifest(stevedore.registry, repository);
    const got = await readBlob(stevedore.registry, repository, digest);
    expect(got.length).toBe(SIZE);
    expect(got.upstreamAtFirstBytes).toBeLessThan(SIZE);
    expect(got.bytes.length).toBe(SIZE);
    expect(sha256(got.bytes)).toBe(digest);
    expect(upstreamGets(digest)).toHaveLength(1);
    expect(await committed(stevedore, digest)).toBe(true);
  }, 120_000);

  it('answers a HEAD and ranges of a blob still landing as the upstream does, before it landed', async () => {
    const { repository, digest } = await coldLayer(name);
    proxy.setRule({ pathPattern: new RegExp(`/blobs/${digest}$`), bytesPerSecond: RATE / 2 });
    await getManifest(stevedore.registry, repository);
    const path = `/v2/${repository}/blobs/${digest}`;
    const upstreamSent = () => upstreamGets(digest).reduce((sum, r) => sum + r.bytesSent, 0);
    const head = await answer(`${stevedore.registry}${path}`, { method: 'HEAD' });
    const early = await answer(`${stevedore.registry}${path}`, { range: 'bytes=1000-99999' });
    const beyond = await refusedRange(`${stevedore.registry}${path}`, SIZE);
    // All three answered while the upstream still sent the blob and before the store had it.
    expect(upstreamSent()).toBeLessThan(SIZE);
    expect(await stored(stevedore, digest)).toBe(false);
    const late = await answer(`${stevedore.registry}${path}`, { range: `bytes=${SIZE - 5000}-` });
    expect(head).toEqual(await answer(`${registry.url}${path}`, { method: 'HEAD' }));
    expect(head.headers['content-length']).toBe(String(SIZE));
    expect(head.headers['docker-content-digest']).toBe(digest);
    expect(early.status).toBe(206);
    expect(early).toEqual(await answer(`${registry.url}${path}`, { range: 'bytes=1000-99999' }));
    expect(late).toEqual(
      await answer(`${registry.url}${path}`, { range: `bytes=${SIZE - 5000}-` }),
    );
    expect(beyond).toEqual({ status: 416, range: `bytes */${SIZE}` });
    expect(beyond).toEqual(await refusedRange(`${registry.url}${path}`, SIZE));
    expect(upstreamGets(digest)).toHaveLength(1);
    expect(await committed(stevedore, digest)).toBe(true);
  }, 120_000);

  it('breaks the client’s download when the upstream goes away mid-blob, and stores nothing', async () => {
    const { repository, digest } = await coldLayer(name);
    const pathPattern = new RegExp(`/blobs/${digest}$`);
    proxy.setRule({ pathPattern, stallAfterBytes: SIZE / 4 });
    await getManifest(stevedore.registry, repository);
    const res = await fetch(`${stevedore.registry}/v2/${repository}/blobs/${digest}`);
    expect(res.headers.get('content-length')).toBe(String(SIZE));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = (await reader.read()).value?.byteLength ?? 0;
    expect(received).toBeGreaterThan(0);
    // The stalled transfer is cut, and every later request for the blob fails: the blob is gone.
    // Both in one step, so no retry of the fetcher slips in between.
    proxy.reset();
    proxy.setRule({ pathPattern, failStatus: { status: 404, times: 1_000_000 } });
    const rest = (async () => {
      for (let next = await reader.read(); !next.done; next = await reader.read())
        received += next.value.byteLength;
    })();
    await expect(rest).rejects.toThrow();
    expect(received).toBeLessThan(SIZE);
    expect(await stored(stevedore, digest)).toBe(false);
  }, 180_000);

  it('lets 10 concurrent clients share one upstream download, each streamed the whole blob', async () => {
    const { repository, digest } = await coldLayer(name);
    proxy.setRule({ pathPattern: new RegExp(`/blobs/${digest}$`), bytesPerSecond: RATE });
    const clients = Array.from({ length: 10 }, async (_, i) => {
      const base = stevedore.registries[i % stevedore.registries.length] as string;
      await getManifest(base, repository);
      return readBlob(base, repository, digest);
    });
    const results = await Promise.all(clients);
    for (const got of results) {
      expect(got.bytes.length).toBe(SIZE);
      expect(sha256(got.bytes)).toBe(digest);
    }
    expect(results.some((got) => (got.upstreamAtFirstBytes ?? SIZE) < SIZE)).toBe(true);
    expect(upstreamGets(digest)).toHaveLength(1);
    expect(await committed(stevedore, digest)).toBe(true);
  }, 180_000);
});
