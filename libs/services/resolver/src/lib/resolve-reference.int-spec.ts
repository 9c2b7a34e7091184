import { Digest } from '@stevedore/domain';
import { DynamicModule, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { BLOB_STORE } from '@stevedore/blob-port';
import { RESOLVE_REFERENCE_V1, ResolvedImageV1 } from '@stevedore/contracts';
import {
  Bus,
  InProcessBroker,
  InProcessClient,
  InProcessServer,
  configureMessageHandlers,
} from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import {
  Fixtures,
  MemoryBlobStore,
  RegistryHandle,
  pushFixtures,
  startRegistry,
} from '@stevedore/testing';
import { ResolverServiceModule } from './resolver-service.module';

// Real registry with real fixtures; the blob store is an in-memory fake of the blobstore service.
let registry: RegistryHandle;
let fixtures: Fixtures;
let app: INestMicroservice;
let bus: Bus;
const store = new MemoryBlobStore();

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  const storeModule: DynamicModule = {
    module: class StoreModule {},
    global: true,
    providers: [{ provide: BLOB_STORE, useValue: store }],
    exports: [BLOB_STORE],
  };
  @Module({
    imports: [
      UpstreamModule.forRoot({
        registryMirrors: [],
        insecureRegistries: [],
        importUrlAllowlist: [],
      }),
      storeModule,
      ResolverServiceModule,
    ],
  })
  class Root {}
  const broker = new InProcessBroker();
  app = await NestFactory.createMicroservice<MicroserviceOptions>(Root, {
    strategy: new InProcessServer(broker),
    logger: false,
  });
  configureMessageHandlers(app);
  await app.listen();
  const client = new InProcessClient(broker);
  bus = new Bus(() => client);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await registry?.stop();
});

const resolve = (reference: string, platform?: string) =>
  bus.send<ResolvedImageV1>(RESOLVE_REFERENCE_V1, { reference, ...(platform ? { platform } : {}) });

/** storedText reads a small document the resolver kept in the store. */
async function storedText(digest: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(Digest.parse(digest))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** requestsSince reads the registry's log past `count` entries once it has settled (lines land just after responses). */
async function requestsSince(count: number) {
  let seen = -1;
  for (let i = 0; i < 40; i += 1) {
    const log = await registry.accessLog();
    if (log.length > count && log.length === seen) return log.slice(count);
    seen = log.length;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return (await registry.accessLog()).slice(count);
}

describe('resolver: resolve references against a real registry', () => {
  it('resolves a single-platform tag to its manifest, config and layers, and keeps the documents', async () => {
    const image = fixtures.busybox;
    const resolved = await resolve(image.reference);
    expect(resolved.reference).toBe(image.reference);
    expect(resolved.topDigest).toBe(image.manifestDigest);
    expect(resolved.manifest.config.digest).toBe(image.configDigest);
    expect(resolved.manifest.layers.map((l) => l.digest)).toEqual(
      image.layers?.map((l) => l.digest),
    );
    expect(JSON.parse(await storedText(resolved.manifest.config.digest)).config.Cmd).toEqual([
      'sh',
    ]);
    await expect(store.stat(Digest.parse(image.manifestDigest))).resolves.toBeDefined();
    await expect(store.stat(Digest.parse(image.configDigest ?? ''))).resolves.toBeDefined();
  });

  it.each(['linux/arm64', 'linux/arm/v7', 'linux/amd64'])(
    'picks %s from the multi-arch index, recording the index',
    async (platform) => {
      const image = fixtures.multiArch;
      const resolved = await resolve(image.reference, platform);
      const wanted = image.platforms?.find((p) => p.platform.startsWith(platform));
      expect(resolved.manifest.digest).toBe(wanted?.manifestDigest);
      expect(resolved.manifest.indexDigest).toBe(image.manifestDigest);
      expect(resolved.topDigest).toBe(image.manifestDigest);
      await expect(store.stat(Digest.parse(image.manifestDigest))).resolves.toBeDefined();
    },
  );

  it('resolves a digest reference', async () => {
    const image = fixtures.multiLayer;
    const byDigest = image.reference.replace(/:[^:/]+$/, `@${image.manifestDigest}`);
    await expect(resolve(byDigest)).resolves.toMatchObject({ topDigest: image.manifestDigest });
  });

  it('answers NOT_FOUND for an unknown tag and INVALID_ARGUMENT for a malformed reference', async () => {
    await expect(resolve(`${registry.host}/library/busybox:nope`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(resolve('UPPER/Case:x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a single-platform image of another platform, in moby’s words, keeping nothing', async () => {
    const { busybox } = fixtures;
    const kept = [busybox.manifestDigest, busybox.configDigest ?? ''].map((d) => Digest.parse(d));
    for (const digest of kept) await store.delete(digest);
    await expect(resolve(busybox.reference, 'linux/s390x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `image with reference ${busybox.reference} was found but does not match the specified platform: wanted linux/s390x, actual: linux/amd64`,
    });
    for (const digest of kept) await expect(store.stat(digest)).resolves.toBeUndefined();
  });

  it('takes a single-platform image when no platform is asked for, whatever its platform', async () => {
    await expect(resolve(fixtures.busybox.reference)).resolves.toMatchObject({
      manifest: { platform: { os: 'linux', architecture: 'amd64' } },
    });
  });

  it('resolves a tag it resolved before with one registry request, and reads everything again when asked fresh', async () => {
    const image = fixtures.multiArch;
    const first = await resolve(image.reference, 'linux/arm64');
    const kept = [first.manifest.digest, first.manifest.config.digest];
    for (const digest of kept) await store.delete(Digest.parse(digest));
    const before = (await registry.accessLog()).length;
    await expect(resolve(image.reference, 'linux/arm64')).resolves.toEqual(first);
    const again = await requestsSince(before);
    expect(again.map((e) => `${e.method} ${e.path}`)).toEqual([
      `GET /v2/${image.repository}/manifests/${image.tag}`,
    ]);
    for (const digest of kept)
      await expect(store.stat(Digest.parse(digest))).resolves.toBeUndefined();
    await expect(
      bus.send(RESOLVE_REFERENCE_V1, {
        reference: image.reference,
        platform: 'linux/arm64',
        fresh: true,
      }),
    ).resolves.toEqual(first);
    for (const digest of kept)
      await expect(store.stat(Digest.parse(digest))).resolves.toBeDefined();
  });

  it('reads a config from the registry once when two pulls resolve the image at the same time', async () => {
    const image = fixtures.multiLayer;
    const config = image.configDigest ?? '';
    await store.delete(Digest.parse(config));
    const before = (await registry.accessLog()).length;
    const fresh = { reference: image.reference, fresh: true };
    const both = await Promise.all([
      bus.send<ResolvedImageV1>(RESOLVE_REFERENCE_V1, fresh),
      bus.send<ResolvedImageV1>(RESOLVE_REFERENCE_V1, fresh),
    ]);
    expect(both[1]).toEqual(both[0]);
    const configGets = (await requestsSince(before)).filter((e) => e.path.endsWith(config));
    expect(configGets).toHaveLength(1);
    await expect(store.stat(Digest.parse(config))).resolves.toMatchObject({
      size: both[0].manifest.config.size,
    });
  });

  it("answers NOT_FOUND with Docker's text for a platform the index lacks", async () => {
    await expect(resolve(fixtures.multiArch.reference, 'linux/s390x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no matching manifest for linux/s390x'),
    });
  });
});
