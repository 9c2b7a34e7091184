import { HttpFaultProxy, RegistryHandle, startHttpFaultProxy, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { FamilyImage, pushImageFamily } from './support/image-family';
import { Topology, startCluster, startEmbedded } from './support/topology';

// The registry sits behind the HTTP fault proxy, whose request log is the registry's counter.
let registry: RegistryHandle;
let proxy: HttpFaultProxy;
let family: FamilyImage[];

interface BatchItem { index: number; reference: string; state: string; attempts: number; imageId?: string; error?: { code: string; message: string } }
interface Batch { id: string; finishedAt?: string; totals: Record<string, number>; items: BatchItem[] }

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
  const res = await fetch(`${base}/api/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`batch answered ${res.status}: ${text}`);
  return JSON.parse(text) as Batch;
}

async function finished(base: string, id: string, timeoutMs = 120_000): Promise<Batch> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
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
    if (r.method === 'GET' && digest && r.status === 200) counts.set(digest, (counts.get(digest) ?? 0) + 1);
  }
  return counts;
}

describe('batch pulls on a cluster of 2 gateways and 3 fetchers', () => {
  let cluster: Topology;

  beforeAll(async () => {
    cluster = await startCluster({ replicas: { gateway: 2, fetcher: 3 } });
  }, 180_000);

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
    const submitted = await submit(cluster.url, { registry: proxy.host, repository: 'fleet/app-0', tags: { include: ['1.*'], exclude: ['1.1'] } });
    expect(submitted.items.map((i) => i.reference).sort()).toEqual([`${proxy.host}/fleet/app-0:1.0`, `${proxy.host}/fleet/app-0:1.2`]);
    const batch = await finished(cluster.url, submitted.id);
    expect(batch.totals).toMatchObject({ done: 2 });
  }, 120_000);

  it('refuses a malformed batch without queueing anything', async () => {
    const before = ((await (await fetch(`${cluster.url}/api/v1/batches`)).json()) as Batch[]).length;
    const bad = await fetch(`${cluster.url}/api/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ images: [family[0]?.reference, 'Busybox'] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('must be lowercase');
    const unknown = await fetch(`${cluster.url}/api/v1/batches/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(((await (await fetch(`${cluster.url}/api/v1/batches`)).json()) as Batch[]).length).toBe(before);
  });
});

describe('batch pulls on the embedded topology', () => {
  it('runs the same batch code in one process', async () => {
    const embedded = await startEmbedded();
    try {
      const submitted = await submit(embedded.url, { images: family.slice(0, 5).map((i) => i.reference) });
      const batch = await finished(embedded.url, submitted.id);
      expect(batch.totals).toMatchObject({ done: 5 });
      const cancelled = (await (await fetch(`${embedded.url}/api/v1/batches/${submitted.id}`, { method: 'DELETE' })).json()) as Batch;
      expect(cancelled.totals).toMatchObject({ done: 5, cancelled: 0 });
    } finally {
      await embedded.stop();
    }
  }, 120_000);
});
