import {
  HttpFaultProxy,
  RegistryHandle,
  startHttpFaultProxy,
  startRegistry,
  startTcpFaultProxy,
} from '@stevedore/testing';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppProcess, killAllApps } from './support/app-process';
import { pushBigImage } from './support/big-image';
import { FamilyImage, pushImageFamily } from './support/image-family';
import { Topology, startCluster, startEmbedded } from './support/topology';

// The registry sits behind the HTTP fault proxy, whose request log is the registry's counter.
let registry: RegistryHandle;
let proxy: HttpFaultProxy;
let family: FamilyImage[];

interface BatchItem {
  index: number;
  reference: string;
  state: string;
  attempts: number;
  imageId?: string;
  error?: { code: string; message: string };
}
interface Batch {
  id: string;
  finishedAt?: string;
  totals: Record<string, number>;
  items: BatchItem[];
}

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startHttpFaultProxy(registry.url);
  family = await pushImageFamily(proxy.host, 'fleet/app', 30, ['1.0', '1.1', '1.2', '2.0', 'dev']);
}, 240_000);

afterAll(async () => {
  await killAllApps();
  await proxy?.stop();
  await registry?.stop();
});

async function submit(base: string, body: object): Promise<Batch> {
  const res = await fetch(`${base}/api/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`batch answered ${res.status}: ${text}`);
  return JSON.parse(text) as Batch;
}

async function finished(base: string, id: string, timeoutMs = 120_000): Promise<Batch> {
  for (
    const deadline = Date.now() + timeoutMs;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 250))
  ) {
    const batch = (await (await fetch(`${base}/api/v1/batches/${id}`)).json()) as Batch;
    if (batch.finishedAt) return batch;
  }
  throw new Error(`batch ${id} did not finish within ${timeoutMs} ms`);
}

/** blobGets counts the registry's successful blob downloads per digest. */
function blobGets(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of proxy.requests()) {
    const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(r.path)?.[1];
    if (r.method === 'GET' && digest && r.status === 200)
      counts.set(digest, (counts.get(digest) ?? 0) + 1);
  }
  return counts;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** committedBlobs checks every committed blob hashes to its name and returns their digests. */
async function committedBlobs(dataRoot: string): Promise<string[]> {
  const dir = join(dataRoot, 'content', 'blobs', 'sha256');
  const names = await readdir(dir);
  for (const name of names) expect(await sha256File(join(dir, name))).toBe(`sha256:${name}`);
  return names.map((n) => `sha256:${n}`);
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  for (
    const deadline = Date.now() + timeoutMs;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 100))
  ) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('batch pulls on a cluster of 2 gateways, 3 fetchers, 2 blobstores, 2 resolvers and 2 exporters', () => {
  let cluster: Topology;

  beforeAll(async () => {
    cluster = await startCluster({
      replicas: { gateway: 2, fetcher: 3, blobstore: 2, resolver: 2, exporter: 2 },
    });
  }, 180_000);

  it('runs every replica as its own process', () => {
    const pids = new Set([...cluster.processes.values()].map((p) => p.pid));
    expect(pids.size).toBe(13);
    expect([...cluster.processes.keys()].sort()).toEqual([
      'blobstore',
      'blobstore-2',
      'exporter',
      'exporter-2',
      'fetcher',
      'fetcher-2',
      'fetcher-3',
      'gateway',
      'gateway-2',
      'metadata',
      'resolver',
      'resolver-2',
      'runtime',
    ]);
  });

  afterAll(async () => cluster?.stop());

  it('pulls 30 images sharing base layers, downloading every unique blob exactly once', async () => {
    proxy.reset();
    const [first, second] = cluster.urls as [string, string];
    const submitted = await submit(first, { images: family.map((i) => i.reference) });
    expect(submitted.items).toHaveLength(30);
    // Any gateway answers for any batch: the state lives in metadata, not in the gateway.
    const batch = await finished(second, submitted.id);
    expect(batch.totals).toMatchObject({ done: 30, failed: 0, queued: 0, running: 0 });
    expect(batch.items.map((i) => i.imageId)).toEqual(family.map((i) => i.configDigest));
    const gets = blobGets();
    const unique = new Set(family.flatMap((i) => [...i.layers, i.configDigest]));
    expect([...unique].map((d) => [d, gets.get(d)])).toEqual([...unique].map((d) => [d, 1]));
    const listed = (await (await fetch(`${first}/api/v1/batches`)).json()) as Batch[];
    expect(listed.map((b) => b.id)).toContain(submitted.id);
    // Any gateway streams an archive of what the batch pulled, through either blobstore.
    for (const base of cluster.urls) {
      const archive = await fetch(`${base}/api/v1/images/${family[7]?.reference}/archive`);
      expect(archive.status).toBe(200);
      expect((await archive.arrayBuffer()).byteLength).toBeGreaterThan(1024 * 1024);
    }
  }, 180_000);

  it('fails an image that does not exist with NOT_FOUND after its attempts, and completes the rest', async () => {
    const missing = `${proxy.host}/fleet/nothing:v1`;
    const submitted = await submit(cluster.url, { images: [family[3]?.reference, missing] });
    const batch = await finished(cluster.url, submitted.id);
    expect(batch.totals).toMatchObject({ done: 1, failed: 1 });
    const failed = batch.items.find((i) => i.state === 'failed');
    expect(failed).toMatchObject({ reference: missing, attempts: 3, error: { code: 'NOT_FOUND' } });
  }, 120_000);

  it('takes exactly the tags a sync spec selects', async () => {
    const submitted = await submit(cluster.url, {
      registry: proxy.host,
      repository: 'fleet/app-0',
      tags: { include: ['1.*'], exclude: ['1.1'] },
    });
    expect(submitted.items.map((i) => i.reference).sort()).toEqual([
      `${proxy.host}/fleet/app-0:1.0`,
      `${proxy.host}/fleet/app-0:1.2`,
    ]);
    const batch = await finished(cluster.url, submitted.id);
    expect(batch.totals).toMatchObject({ done: 2 });
    const ranged = await submit(cluster.url, {
      registry: proxy.host,
      repository: 'fleet/app-0',
      tags: { semver: '>=1.1 <2' },
    });
    expect(ranged.items.map((i) => i.reference).sort()).toEqual([
      `${proxy.host}/fleet/app-0:1.1`,
      `${proxy.host}/fleet/app-0:1.2`,
    ]);
    expect((await finished(cluster.url, ranged.id)).totals).toMatchObject({ done: 2 });
  }, 120_000);

  it('survives the SIGKILL of the fetcher mid-blob: another fetcher resumes the blob with Range', async () => {
    const big = await pushBigImage(registry.host, 'fleet/big', 48 * 1024 * 1024, 4242);
    const layer = big.layers[1]?.digest ?? '';
    const reference = big.reference.replace(registry.host, proxy.host);
    proxy.reset();
    proxy.setRule({
      pathPattern: new RegExp(`/blobs/${layer}$`),
      stallAfterBytes: 12 * 1024 * 1024,
    });
    const { id } = await submit(cluster.url, { images: [reference] });
    const fetchers = [...cluster.processes.entries()].filter(([name]) =>
      name.startsWith('fetcher'),
    );
    const [victimName, victim] = (await waitFor('the fetcher that took the item', () =>
      fetchers.find(([, p]) => p.stdout.includes(`batch ${id} item 0: attempt 1 started`)),
    )) as [string, AppProcess];
    await waitFor('the stalled download', () =>
      proxy.requests().find((r) => r.path.endsWith(layer) && r.bytesSent >= 12 * 1024 * 1024),
    );
    await new Promise((r) => setTimeout(r, 500)); // let the bytes reach the blob store's ingest
    await victim.stop('SIGKILL');
    proxy.setRule(undefined);
    const batch = await finished(cluster.url, id, 150_000);
    expect(batch.items[0]).toMatchObject({ state: 'done', imageId: big.configDigest, attempts: 2 });
    const resumed = proxy
      .requests()
      .filter((r) => r.path.endsWith(layer) && typeof r.headers['range'] === 'string');
    expect(resumed.map((r) => r.headers['range'])).toEqual([
      expect.stringMatching(/^bytes=[1-9]\d*-/),
    ]);
    expect(
      fetchers
        .filter(([name]) => name !== victimName)
        .some(([, p]) => p.stdout.includes(`batch ${id} item 0: attempt 2 started`)),
    ).toBe(true);
    expect(await committedBlobs(cluster.dataRoot)).toEqual(expect.arrayContaining([layer]));
    expect(await readdir(join(cluster.dataRoot, 'content', 'ingest'))).not.toContain(
      layer.replace(':', '-'),
    );
  }, 200_000);

  it('refuses a malformed batch without queueing anything', async () => {
    const before = ((await (await fetch(`${cluster.url}/api/v1/batches`)).json()) as Batch[])
      .length;
    const bad = await fetch(`${cluster.url}/api/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ images: [family[0]?.reference, 'Busybox'] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('must be lowercase');
    const unknown = await fetch(
      `${cluster.url}/api/v1/batches/00000000-0000-4000-8000-000000000000`,
    );
    expect(unknown.status).toBe(404);
    expect(((await (await fetch(`${cluster.url}/api/v1/batches`)).json()) as Batch[]).length).toBe(
      before,
    );
  });
});

/** watchRequests samples the proxy's log every 10 ms, noting when each request was first seen and the most layer GETs held at once. */
function watchRequests(layers: Set<string>): { stop(): { firstSeen: number[]; peak: number } } {
  const firstSeen: number[] = [];
  let peak = 0;
  const timer = setInterval(() => {
    const requests = proxy.requests();
    for (let i = firstSeen.length; i < requests.length; i += 1) firstSeen.push(Date.now());
    const waiting = requests.filter(
      (r) => r.method === 'GET' && r.status === 0 && layers.has(r.path.split('/blobs/')[1] ?? ''),
    ).length;
    peak = Math.max(peak, waiting);
  }, 10);
  return { stop: () => (clearInterval(timer), { firstSeen, peak }) };
}

describe('one client towards each registry, whatever the number of fetchers', () => {
  let cluster: Topology;

  beforeAll(async () => {
    cluster = await startCluster({
      replicas: { fetcher: 3 },
      daemonConfig: { 'max-concurrent-downloads': 2 },
    });
  }, 180_000);

  afterAll(async () => cluster?.stop());

  it('keeps to max-concurrent-downloads over all replicas', async () => {
    const images = family.slice(22, 28);
    const layers = new Set(images.flatMap((i) => i.layers));
    proxy.reset();
    proxy.setRule({ pathPattern: /\/blobs\//, delayMs: 200 });
    const watch = watchRequests(layers);
    const { id } = await submit(cluster.url, { images: images.map((i) => i.reference) });
    const batch = await finished(cluster.url, id);
    const { peak } = watch.stop();
    proxy.setRule(undefined);
    expect(batch.totals).toMatchObject({ done: images.length });
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2);
  }, 120_000);

  it('shares a 429 back-off: after Retry-After reaches one fetcher, no fetcher starts a download there before it ends', async () => {
    const first = family[28] as FamilyImage;
    const second = family[29] as FamilyImage;
    const limitedLayer = first.layers[2] ?? '';
    const secondOwn = second.layers[2] ?? '';
    proxy.reset();
    proxy.setRule({
      pathPattern: new RegExp(`/blobs/${limitedLayer}$`),
      failStatus: { status: 429, times: 1, headers: { 'Retry-After': '3' } },
    });
    const a = await submit(cluster.url, { images: [first.reference] });
    await waitFor('the 429', () => proxy.requests().find((r) => r.status === 429));
    const limitedAt = Date.now();
    // Another fetcher gets the next image while the back-off runs: its own layer must wait.
    const b = await submit(cluster.url, { images: [second.reference] });
    const started = await waitFor(
      'the second image’s own layer',
      () => proxy.requests().find((r) => r.path.endsWith(secondOwn)) && Date.now(),
      30_000,
    );
    expect(started - limitedAt).toBeGreaterThanOrEqual(2_000);
    proxy.setRule(undefined);
    expect((await finished(cluster.url, a.id)).totals).toMatchObject({ done: 1 });
    expect((await finished(cluster.url, b.id)).totals).toMatchObject({ done: 1 });
  }, 120_000);
});

describe('batch pulls while the broker connections are cut', () => {
  it('completes every item when all AMQP connections drop for 5 seconds mid-batch', async () => {
    const broker = await startTcpFaultProxy({ host: '127.0.0.1', port: 5672 });
    const cluster = await startCluster({
      replicas: { fetcher: 2 },
      amqpUrl: `amqp://guest:guest@127.0.0.1:${broker.port}`,
    });
    try {
      const images = family.slice(10, 22).map((i) => i.reference);
      proxy.setRule({ delayMs: 150 }); // a slower registry, so the cut lands mid-batch
      const { id } = await submit(cluster.url, { images });
      await waitFor('the first finished item', async () => {
        const batch = (await (await fetch(`${cluster.url}/api/v1/batches/${id}`)).json()) as Batch;
        return (batch.totals['done'] ?? 0) > 0 ? batch : undefined;
      });
      broker.cutAll();
      broker.pause();
      await new Promise((r) => setTimeout(r, 5_000));
      broker.resume();
      proxy.setRule(undefined);
      const batch = await finished(cluster.url, id, 150_000);
      expect(batch.totals).toMatchObject({ done: images.length, failed: 0, queued: 0, running: 0 });
      expect(batch.items.map((i) => i.imageId)).toEqual(
        family.slice(10, 22).map((i) => i.configDigest),
      );
    } finally {
      proxy.setRule(undefined);
      await cluster.stop();
      await broker.stop();
    }
  }, 240_000);
});

describe('batch pulls on the embedded topology', () => {
  it('runs the same batch code in one process', async () => {
    const embedded = await startEmbedded();
    try {
      const submitted = await submit(embedded.url, {
        images: family.slice(0, 5).map((i) => i.reference),
      });
      const batch = await finished(embedded.url, submitted.id);
      expect(batch.totals).toMatchObject({ done: 5 });
      const cancelled = (await (
        await fetch(`${embedded.url}/api/v1/batches/${submitted.id}`, { method: 'DELETE' })
      ).json()) as Batch;
      expect(cancelled.totals).toMatchObject({ done: 5, cancelled: 0 });
    } finally {
      await embedded.stop();
    }
  }, 120_000);
});
