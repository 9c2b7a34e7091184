import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Descriptor, Digest, MediaType } from '@stevedore/domain';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { closedPort } from '../../test/net';
import { pullImage } from '../../test/pull-image';
import { RegistryClient } from '../client';
import { FileBlobSink } from './blob-sink';
import { must } from '../../test/must';

let upstream: RegistryHandle;
let empty: RegistryHandle;
let fixtures: Fixtures;
let dir: string;

beforeAll(async () => {
  [upstream, empty] = await Promise.all([startRegistry(), startRegistry()]);
  fixtures = await pushFixtures(upstream);
  dir = await mkdtemp(join(tmpdir(), 'registry-client-'));
}, 120_000);

afterAll(async () => {
  await Promise.all([
    upstream?.stop(),
    empty?.stop(),
    dir ? rm(dir, { recursive: true, force: true }) : undefined,
  ]);
});

async function withClient<T>(
  options: ConstructorParameters<typeof RegistryClient>[0],
  run: (c: RegistryClient) => Promise<T>,
): Promise<T> {
  const client = new RegistryClient({ retry: { baseDelayMs: 20 }, ...options });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

describe('mirrors', () => {
  it('falls back from a mirror on a closed port to the next endpoint', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    // Docker Hub is unreachable here, so only the second mirror can have served the pull.
    const mirrors = { 'docker.io': [down, upstream.url] };
    const pulled = await withClient({ mirrors }, (c) => pullImage(c, 'busybox:latest'));
    expect(pulled.topDigest).toBe(fixtures.busybox.manifestDigest);
    expect(pulled.layerDigests).toEqual(fixtures.busybox.layers?.map((l) => l.digest));
    const served = await upstream.accessLog();
    expect(
      served.some((e) => e.method === 'GET' && e.path === '/v2/library/busybox/manifests/latest'),
    ).toBe(true);
  });

  it('falls back from a mirror that lacks the image to the registry itself', async () => {
    const mirrors = { [upstream.host]: [empty.url] };
    const pulled = await withClient({ mirrors }, (c) =>
      pullImage(c, fixtures.multiLayer.reference),
    );
    expect(pulled.manifestDigest).toBe(fixtures.multiLayer.manifestDigest);
    const askedMirror = await empty.accessLog();
    expect(
      askedMirror.some(
        (e) => e.path.startsWith('/v2/test/multi-layer/manifests/') && e.status === 404,
      ),
    ).toBe(true);
  });

  it('reports the registry error when every endpoint fails', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const mirrors = { [upstream.host]: [down] };
    const ref = `${upstream.host}/test/multi-layer:no-such-tag`;
    await expect(withClient({ mirrors }, (c) => c.getManifest(ref))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'manifest unknown',
    });
  });
});

describe('corrupted content', () => {
  it('turns a blob corrupted on the registry disk into DIGEST_MISMATCH and makes the sink discard it', async () => {
    const layer = must(fixtures.multiLayer.layers?.[1], 'layer');
    const file = upstream.blobPath(layer.digest);
    const original = await readFile(file);
    const corrupt = Buffer.from(original);
    corrupt[corrupt.length >> 1] = (corrupt[corrupt.length >> 1] ?? 0) ^ 0x01;
    await writeFile(file, corrupt);
    const desc: Descriptor = {
      mediaType: layer.mediaType,
      digest: Digest.parse(layer.digest),
      size: layer.size,
    };
    const path = join(dir, 'corrupt-layer');
    const sink = await FileBlobSink.open(path);
    try {
      const error = await withClient({}, (c) =>
        c.copyBlob(fixtures.multiLayer.reference, desc, sink),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'DIGEST_MISMATCH',
        message: expect.stringContaining(`expected ${layer.digest}`),
      });
      await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await sink.close();
      await writeFile(file, original);
    }
  });

  it('stops reading as soon as a blob grows past its descriptor size', async () => {
    const config = must(fixtures.busybox.configDigest, 'config');
    const file = upstream.blobPath(config);
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.alloc(1 << 20, 0x20)]));
    const desc: Descriptor = {
      mediaType: MediaType.DockerConfig,
      digest: Digest.parse(config),
      size: original.byteLength,
    };
    try {
      await expect(
        withClient({}, (c) => c.readBlob(fixtures.busybox.reference, desc)),
      ).rejects.toMatchObject({
        code: 'DIGEST_MISMATCH',
        message: expect.stringContaining('size mismatch'),
      });
    } finally {
      await writeFile(file, original);
    }
  });

  it('resumes into a file sink that already holds a verified prefix', async () => {
    const layer = must(fixtures.multiLayer.layers?.[0], 'layer');
    const whole = await readFile(upstream.blobPath(layer.digest));
    const path = join(dir, 'resumed-layer');
    await writeFile(path, whole.subarray(0, 1000));
    const sink = await FileBlobSink.open(path);
    const desc: Descriptor = {
      mediaType: layer.mediaType,
      digest: Digest.parse(layer.digest),
      size: layer.size,
    };
    const before = (await upstream.accessLog()).length;
    try {
      await withClient({}, (c) => c.copyBlob(fixtures.multiLayer.reference, desc, sink));
    } finally {
      await sink.close();
    }
    expect(Digest.fromBytes(await readFile(path)).toString()).toBe(layer.digest);
    const gets = (await upstream.accessLog())
      .slice(before)
      .filter((e) => e.method === 'GET' && e.path.endsWith(layer.digest));
    expect(gets).toHaveLength(1);
    expect(gets[0]?.status).toBe(206);
  });
});
