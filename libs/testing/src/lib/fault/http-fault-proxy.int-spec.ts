import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { request } from 'undici';
import {
  Fixtures,
  HttpFaultProxy,
  pushFixtures,
  RegistryHandle,
  startHttpFaultProxy,
  startRegistry,
} from '../../index';
import { sha256Of } from '../../test/helpers';

interface Download {
  status: number;
  bytes: number;
  hash: string;
  error?: Error;
}

async function download(url: string): Promise<Download> {
  const res = await request(url);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of res.body) {
      bytes += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    return { status: res.statusCode, bytes, hash: `sha256:${hash.digest('hex')}` };
  } catch (err) {
    return {
      status: res.statusCode,
      bytes,
      hash: `sha256:${hash.digest('hex')}`,
      error: err as Error,
    };
  }
}

async function prefixDigest(file: string, n: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    await handle.read(buf, 0, n, 0);
    return sha256Of(buf);
  } finally {
    await handle.close();
  }
}

describe('HTTP fault proxy in front of a real registry', () => {
  let registry: RegistryHandle;
  let fixtures: Fixtures;
  let proxy: HttpFaultProxy;
  const bigLayer = () => {
    const layer = fixtures.multiLayer.layers?.find((l) => l.size > 300_000);
    if (!layer) throw new Error('multi-layer fixture has no layer above 300 KB');
    return layer;
  };
  const blobUrl = (digest: string) => `${proxy.url}/v2/test/multi-layer/blobs/${digest}`;

  beforeAll(async () => {
    registry = await startRegistry();
    fixtures = await pushFixtures(registry);
    proxy = await startHttpFaultProxy(registry.url);
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('passes a blob download through unchanged and records it', async () => {
    const layer = bigLayer();
    const got = await download(blobUrl(layer.digest));
    expect(got).toEqual({ status: 200, bytes: layer.size, hash: layer.digest });
    expect(proxy.requests()).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/v2/test/multi-layer/blobs/${layer.digest}`,
        status: 200,
        bytesSent: layer.size,
        faulted: false,
      }),
    ]);
  });

  it.each([0, 1, 100_000, 65_536 * 3 + 17])(
    'cuts the download after exactly %d body bytes, which are the blob prefix',
    async (n) => {
      const layer = bigLayer();
      proxy.setRule({ resetAfterBytes: n, pathPattern: /\/blobs\// });
      const got = await download(blobUrl(layer.digest));
      expect(got.status).toBe(200);
      expect(got.error).toBeInstanceOf(Error);
      expect(got.bytes).toBe(n);
      expect(got.hash).toBe(await prefixDigest(registry.blobPath(layer.digest), n));
      expect(proxy.requests()[0]).toMatchObject({ bytesSent: n, faulted: true });
    },
  );

  it('leaves requests outside pathPattern alone', async () => {
    proxy.setRule({ resetAfterBytes: 10, pathPattern: /\/blobs\// });
    const res = await request(`${proxy.url}/v2/test/multi-layer/manifests/v1`, {
      headers: { accept: fixtures.multiLayer.mediaType },
    });
    expect(sha256Of(Buffer.from(await res.body.arrayBuffer()))).toBe(
      fixtures.multiLayer.manifestDigest,
    );
  });

  it('answers 503 `times` times, then passes through', async () => {
    proxy.setRule({ failStatus: { status: 503, times: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await download(`${proxy.url}/v2/`)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('answers 429 with Retry-After, then passes through', async () => {
    proxy.setRule({ failStatus: { status: 429, times: 1, headers: { 'Retry-After': '7' } } });
    const first = await request(blobUrl(bigLayer().digest));
    await first.body.dump();
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect((await download(blobUrl(bigLayer().digest))).status).toBe(200);
  });

  it('stalls after N bytes with the connection open until reset()', async () => {
    proxy.setRule({ stallAfterBytes: 50_000 });
    const res = await request(blobUrl(bigLayer().digest));
    const chunks = res.body[Symbol.asyncIterator]();
    let received = 0;
    while (received < 50_000) received += ((await chunks.next()).value as Buffer).length;
    const pending = chunks.next();
    pending.catch(() => undefined);
    const quiet = await Promise.race([
      pending.then(() => 'data'),
      new Promise((r) => setTimeout(() => r('quiet'), 400)),
    ]);
    expect({ received, quiet }).toEqual({ received: 50_000, quiet: 'quiet' });
    proxy.reset();
    await expect(pending).rejects.toThrow();
  });

  it('delays the start of the response by delayMs', async () => {
    proxy.setRule({ delayMs: 300 });
    const started = Date.now();
    expect((await download(`${proxy.url}/v2/`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rejects a rule that both resets and stalls', () => {
    expect(() => proxy.setRule({ resetAfterBytes: 1, stallAfterBytes: 2 })).toThrow(
      'a rule cannot both reset and stall',
    );
  });
});

describe('HTTP fault proxy: pushes pass through', () => {
  it('keeps the Host header, so upload Locations point back at the proxy and skopeo pushes through it', async () => {
    const registry = await startRegistry({ auth: 'htpasswd' });
    const proxy = await startHttpFaultProxy(registry.url);
    try {
      const viaProxy: RegistryHandle = { ...registry, host: proxy.host, url: proxy.url };
      const pushed = await pushFixtures(viaProxy);
      expect(pushed.busybox.reference).toBe(`${proxy.host}/library/busybox:latest`);
      const uploads = proxy
        .requests()
        .filter((r) => r.method === 'POST' && r.path.endsWith('/blobs/uploads/'));
      expect(uploads.length).toBeGreaterThan(0);
      expect(
        proxy.requests().filter((r) => r.method === 'PUT' && r.status === 201).length,
      ).toBeGreaterThan(0);
      const auth = `Basic ${Buffer.from('tester:secret-pass').toString('base64')}`;
      const res = await request(`${proxy.url}/v2/test/probe/blobs/uploads/`, {
        method: 'POST',
        headers: { authorization: auth },
      });
      await res.body.dump();
      expect(res.statusCode).toBe(202);
      expect(new URL(String(res.headers['location'])).host).toBe(proxy.host);
    } finally {
      await proxy.stop();
      await registry.stop();
    }
  });
});
