import { Descriptor, Digest, MediaType, parsePlatform } from '@stevedore/domain';
import {
  AccessLogEntry,
  FixtureImage,
  Fixtures,
  RegistryHandle,
  pushFixtures,
  randomBlob,
  startRegistry,
} from '@stevedore/testing';
import { pullImage } from '../../test/pull-image';
import { RegistryClient } from '../client';
import { staticCredentials } from '../credentials/credentials';
import { ImageSource } from './image-source';
import { must } from '../../test/must';

let source: RegistryHandle;
let target: RegistryHandle;
let fixtures: Fixtures;
let client: RegistryClient;

const names = ['busybox', 'multiLayer', 'multiArch', 'manifestList'] as const;

beforeAll(async () => {
  [source, target] = await Promise.all([
    startRegistry({ auth: 'anonymous' }),
    startRegistry({ auth: 'token' }),
  ]);
  fixtures = await pushFixtures(source);
  client = new RegistryClient({
    credentials: staticCredentials({ [target.host]: must(target.credentials, 'credentials') }),
    retry: { baseDelayMs: 50 },
  });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await Promise.all([source?.stop(), target?.stop()]);
});

function dst(image: FixtureImage, repository = image.repository): string {
  return `${target.host}/${repository}:${image.tag}`;
}

async function logSince(count: number): Promise<AccessLogEntry[]> {
  return (await target.accessLog()).slice(count);
}

const isUpload = (e: AccessLogEntry): boolean => e.path.includes('/blobs/uploads/');

describe('push to a token-auth registry', () => {
  it('copies every fixture and pulls each back with identical digests', async () => {
    for (const name of names) {
      const image = fixtures[name];
      const result = await client.copyImage(image.reference, dst(image));
      expect(result.digest.toString()).toBe(image.manifestDigest);
      expect(result.blobs.uploaded).toBeGreaterThan(0);
      const platforms = image.platforms?.map((p) => p.platform) ?? [undefined];
      for (const platform of platforms) {
        const pulled = await pullImage(
          client,
          dst(image),
          platform ? parsePlatform(platform) : undefined,
        );
        expect(pulled.topDigest).toBe(image.manifestDigest);
      }
    }
  });

  it('uploads no blob the second time: every HEAD hits', async () => {
    const before = (await target.accessLog()).length;
    for (const name of names) {
      const result = await client.copyImage(fixtures[name].reference, dst(fixtures[name]));
      expect(result.blobs).toMatchObject({ uploaded: 0, mounted: 0 });
      expect(result.blobs.exists).toBeGreaterThan(0);
    }
    const served = await logSince(before);
    expect(served.filter(isUpload)).toEqual([]);
    expect(
      served.filter((e) => e.method === 'HEAD' && e.path.includes('/blobs/') && e.status === 200)
        .length,
    ).toBeGreaterThan(0);
  });

  it('mounts blobs across repositories of the same registry instead of uploading', async () => {
    const image = fixtures.multiLayer;
    const before = (await target.accessLog()).length;
    const result = await client.copyImage(dst(image), dst(image, 'mirrored/multi-layer'));
    expect(result.blobs).toEqual({ exists: 0, mounted: 5, uploaded: 0 });
    const mounts = (await logSince(before)).filter(
      (e) => e.method === 'POST' && e.query?.includes('mount='),
    );
    expect(mounts).toHaveLength(5);
    expect(
      mounts.every((e) => e.status === 201 && e.query?.includes('from=test%2Fmulti-layer')),
    ).toBe(true);
    const pulled = await pullImage(client, dst(image, 'mirrored/multi-layer'));
    expect(pulled.topDigest).toBe(image.manifestDigest);
  });

  it('uploads in PATCH chunks when the blob exceeds chunkSize', async () => {
    const chunked = client.withCredentials(
      staticCredentials({ [target.host]: must(target.credentials, 'credentials') }),
    );
    const small = new RegistryClient({
      credentials: staticCredentials({ [target.host]: must(target.credentials, 'credentials') }),
      chunkSize: 64 * 1024,
    });
    try {
      const image = fixtures.multiLayer;
      const before = (await target.accessLog()).length;
      await small.copyImage(image.reference, dst(image, 'chunked/multi-layer'));
      const patches = (await logSince(before)).filter((e) => e.method === 'PATCH');
      const expected = (image.layers ?? []).reduce(
        (n, l) => n + Math.ceil(l.size / (64 * 1024)),
        0,
      );
      expect(patches).toHaveLength(expected);
      expect((await pullImage(chunked, dst(image, 'chunked/multi-layer'))).layerDigests).toEqual(
        image.layers?.map((l) => l.digest),
      );
    } finally {
      await small.close();
    }
  });

  it('refuses to push bytes that do not match their descriptor, and pushes no manifest', async () => {
    const good = randomBlob(4096, 7);
    const layer: Descriptor = {
      mediaType: MediaType.OciLayer,
      digest: Digest.fromBytes(good),
      size: good.byteLength,
    };
    const config = Buffer.from(
      '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
    );
    const configDesc: Descriptor = {
      mediaType: MediaType.OciConfig,
      digest: Digest.fromBytes(config),
      size: config.byteLength,
    };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: configDesc,
        layers: [layer],
      }),
    );
    const corrupt = Buffer.from(good);
    corrupt[100] = (corrupt[100] ?? 0) ^ 0xff;
    const lying: ImageSource = {
      root: Digest.fromBytes(manifest),
      manifest: async () => ({ bytes: manifest, mediaType: MediaType.OciManifest }),
      blob: async function* (desc) {
        yield desc.digest.equals(layer.digest) ? corrupt : config;
      },
    };
    await expect(client.copyImage(lying, `${target.host}/test/lying:v1`)).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
    });
    await expect(client.resolve(`${target.host}/test/lying:v1`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('listing', () => {
  it('lists every tag exactly once, even from a registry that ignores n', async () => {
    const image = fixtures.busybox;
    const manifest = await client.getManifest(dst(image));
    const tags = ['a1', 'b2', 'c3', 'd4', 'e5'];
    // The first tag brings the blobs (mounted); the rest only add tags to the same manifest.
    await client.copyImage(dst(image), `${target.host}/paged/busybox:a1`);
    for (const tag of tags.slice(1))
      await client.pushManifest(
        `${target.host}/paged/busybox:${tag}`,
        manifest.bytes,
        manifest.mediaType,
      );
    const listed: string[] = [];
    // distribution 2.8 answers tags/list in one unsorted page without Link, whatever `n` says.
    for await (const tag of client.tags(`${target.host}/paged/busybox`, { pageSize: 2 }))
      listed.push(tag);
    expect([...listed].sort()).toEqual(tags);
  });

  it('lists tags of an unknown repository as NOT_FOUND', async () => {
    const iterate = async (): Promise<void> => {
      for await (const _ of client.tags(`${target.host}/no/such-repo`))
        throw new Error('unexpected tag');
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the catalog page by page following Link headers', async () => {
    const anonymous = new RegistryClient();
    const before = (await source.accessLog()).length;
    try {
      const repos: string[] = [];
      for await (const repo of anonymous.catalog(source.host, { pageSize: 2 })) repos.push(repo);
      expect(repos).toEqual([...new Set(names.map((n) => fixtures[n].repository))].sort());
      const pages = (await source.accessLog())
        .slice(before)
        .filter((e) => e.path === '/v2/_catalog' && e.status === 200);
      expect(pages.map((e) => e.query)).toEqual([
        'n=2',
        'last=test%2Fmanifest-list&n=2',
        'last=test%2Fmulti-layer&n=2',
      ]);
    } finally {
      await anonymous.close();
    }
  });
});
