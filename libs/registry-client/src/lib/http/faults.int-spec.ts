import { Descriptor, Digest } from '@stevedore/domain';
import {
  FixtureLayer,
  Fixtures,
  HttpFaultProxy,
  RegistryHandle,
  pushFixtures,
  startHttpFaultProxy,
  startRegistry,
} from '@stevedore/testing';
import { must } from '../../test/must';
import { HashingSink } from '../../test/sinks';
import { RegistryClient } from '../client';
import { RegistryClientOptions } from '../options';

let registry: RegistryHandle;
let fixtures: Fixtures;
let proxy: HttpFaultProxy;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  proxy = await startHttpFaultProxy(registry.url);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

beforeEach(() => {
  proxy.setRule(undefined);
  proxy.reset();
});

async function withClient<T>(
  options: RegistryClientOptions,
  run: (c: RegistryClient) => Promise<T>,
): Promise<T> {
  const client = new RegistryClient({ retry: { baseDelayMs: 50 }, ...options });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

function descriptor(layer: FixtureLayer): Descriptor {
  return { mediaType: layer.mediaType, digest: Digest.parse(layer.digest), size: layer.size };
}

const viaProxy = (repository: string, tag = 'v1'): string => `${proxy.host}/${repository}:${tag}`;
const largest = (): FixtureLayer =>
  must([...(fixtures.multiLayer.layers ?? [])].sort((a, b) => b.size - a.size)[0], 'layer');
const blobPath = (layer: FixtureLayer): RegExp => new RegExp(`/blobs/${layer.digest}$`);

describe('resumable blob downloads', () => {
  it('resumes with Range after the connection is reset mid-layer, and the blob verifies', async () => {
    const layer = largest();
    proxy.setRule({ pathPattern: blobPath(layer), resetAfterBytes: 200_000 });
    const sink = new HashingSink();
    const result = await withClient({}, (c) =>
      c.copyBlob(viaProxy('test/multi-layer'), descriptor(layer), sink),
    );
    expect(sink.digest()).toBe(layer.digest);
    expect(result.resumes).toBeGreaterThanOrEqual(1);
    const ranges = proxy
      .requests()
      .filter((r) => blobPath(layer).test(r.path))
      .map((r) => r.headers['range']);
    expect(ranges[0]).toBeUndefined();
    expect(ranges.slice(1)).toContainEqual(expect.stringMatching(/^bytes=[1-9]\d*-$/));
  });

  it('resumes after a stall longer than the stall timeout', async () => {
    const layer = largest();
    proxy.setRule({ pathPattern: blobPath(layer), stallAfterBytes: 300_000 });
    const sink = new HashingSink();
    const started = Date.now();
    await withClient({ timeouts: { stall: 400 } }, (c) =>
      c.copyBlob(viaProxy('test/multi-layer'), descriptor(layer), sink),
    );
    expect(sink.digest()).toBe(layer.digest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(
      proxy
        .requests()
        .some((r) => blobPath(layer).test(r.path) && typeof r.headers['range'] === 'string'),
    ).toBe(true);
  });
});

describe('a called-off blob download', () => {
  it('stops the transfer when its signal aborts, with the signal’s reason and no retry', async () => {
    const layer = largest();
    proxy.setRule({ pathPattern: blobPath(layer), bytesPerSecond: 50_000 });
    const gone = new AbortController();
    const reason = new Error('the pull was called off');
    setTimeout(() => gone.abort(reason), 300);
    await expect(
      withClient({}, (c) =>
        c.copyBlob(viaProxy('test/multi-layer'), descriptor(layer), new HashingSink(), {
          signal: gone.signal,
        }),
      ),
    ).rejects.toBe(reason);
    const served = () => proxy.requests().filter((r) => blobPath(layer).test(r.path));
    await new Promise((r) => setTimeout(r, 200)); // the proxy notices the closed connection
    const after = served().reduce((sum, r) => sum + r.bytesSent, 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(served()).toHaveLength(1);
    expect(served().reduce((sum, r) => sum + r.bytesSent, 0)).toBe(after);
    expect(after).toBeLessThan(layer.size);
  });
});

describe('retries', () => {
  it('succeeds after two 503 answers', async () => {
    proxy.setRule({ pathPattern: /\/manifests\//, failStatus: { status: 503, times: 2 } });
    const manifest = await withClient({}, (c) => c.getManifest(viaProxy('test/multi-layer')));
    expect(manifest.digest.toString()).toBe(fixtures.multiLayer.manifestDigest);
    const statuses = proxy
      .requests()
      .filter((r) => r.path.includes('/manifests/'))
      .map((r) => r.status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    proxy.setRule({
      pathPattern: /\/manifests\//,
      failStatus: { status: 429, times: 1, headers: { 'Retry-After': '1' } },
    });
    const started = Date.now();
    const manifest = await withClient({}, (c) => c.getManifest(viaProxy('test/multi-layer')));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(manifest.digest.toString()).toBe(fixtures.multiLayer.manifestDigest);
  });

  it('fails at once with TOO_MANY_REQUESTS when Retry-After is beyond the patience limit', async () => {
    proxy.setRule({
      pathPattern: /\/manifests\//,
      failStatus: { status: 429, times: 5, headers: { 'Retry-After': '3600' } },
    });
    const started = Date.now();
    await expect(
      withClient({}, (c) => c.getManifest(viaProxy('test/multi-layer'))),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up with UNAVAILABLE after the configured number of tries', async () => {
    proxy.setRule({ pathPattern: /\/manifests\//, failStatus: { status: 502, times: 10 } });
    await expect(
      withClient({ retry: { attempts: 3, baseDelayMs: 20 } }, (c) =>
        c.getManifest(viaProxy('test/multi-layer')),
      ),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(proxy.requests().filter((r) => r.path.includes('/manifests/'))).toHaveLength(3);
  });

  it('bounds a request by the total timeout', async () => {
    proxy.setRule({ pathPattern: /\/manifests\//, delayMs: 3000 });
    const started = Date.now();
    const client = { retry: { attempts: 1 }, timeouts: { total: 300 } };
    await expect(
      withClient(client, (c) => c.getManifest(viaProxy('test/multi-layer'))),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('timed out'),
    });
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

describe('per-host concurrency', () => {
  async function fetchThree(concurrencyPerHost: number): Promise<number> {
    const layers = (fixtures.multiLayer.layers ?? []).slice(0, 3);
    proxy.setRule({ pathPattern: /\/blobs\//, delayMs: 400 });
    const started = Date.now();
    await withClient({ concurrencyPerHost }, (c) =>
      Promise.all(
        layers.map((l) =>
          c.copyBlob(viaProxy('test/multi-layer'), descriptor(l), new HashingSink()),
        ),
      ),
    );
    return Date.now() - started;
  }

  it('runs requests to one host one at a time with concurrencyPerHost 1, and together with 3', async () => {
    expect(await fetchThree(1)).toBeGreaterThanOrEqual(1200);
    expect(await fetchThree(3)).toBeLessThan(1200);
  });
});
