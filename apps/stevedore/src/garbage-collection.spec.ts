import { INestMicroservice, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOB_STORE, BlobStore, writeBlob } from '@stevedore/blob-port';
import {
  COLLECT_BLOBS_V1,
  CollectedBlobsV1,
  RECORD_IMAGE_V1,
  REMOVE_IMAGE_V1,
  RemoveImageResultV1,
} from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';
import {
  Bus,
  ContentLeases,
  DomainRpcExceptionFilter,
  InProcessBroker,
  InProcessServer,
  MessageHandlerInterceptor,
  MessagingModule,
} from '@stevedore/messaging';
import { BlobstoreServiceModule } from '@stevedore/service-blobstore';
import { MetadataServiceModule } from '@stevedore/service-metadata';
import { testImage } from '@stevedore/testing';

const digestOf = (text: string) =>
  `sha256:${createHash('sha256').update(text).digest('hex')}` as const;

describe('garbage collection: the blobstore collecting through metadata over the in-process bus', () => {
  let dir: string;
  let app: INestMicroservice | undefined;
  let bus: Bus;
  let store: BlobStore;
  const put = (text: string) =>
    writeBlob(
      store,
      { digest: Digest.parse(digestOf(text)), size: text.length },
      Buffer.from(text),
    );
  const present = async (digest: string) => (await store.stat(Digest.parse(digest))) !== undefined;
  const collect = (digests: string[]) => bus.send<CollectedBlobsV1>(COLLECT_BLOBS_V1, { digests });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stevedore-gc-'));
    const broker = new InProcessBroker();
    @Module({
      imports: [
        MessagingModule.forRoot({ kind: 'in-process', broker }),
        BlobstoreServiceModule.forRoot({
          dataRoot: dir,
          ingestLimits: { maxAgeMs: 86_400_000, maxBytes: 1024 ** 3 },
        }),
        MetadataServiceModule.forRoot({
          store: { kind: 'sqlite', path: join(dir, 'metadata.db') },
          dataRoot: dir,
        }),
      ],
    })
    class GcModule {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(GcModule, {
      strategy: new InProcessServer(broker),
      logger: false,
    });
    app.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    app.useGlobalFilters(new DomainRpcExceptionFilter());
    app.useGlobalInterceptors(new MessageHandlerInterceptor());
    await app.listen();
    bus = app.get(Bus);
    store = app.get(BLOB_STORE);
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes only what no image refers to and no lease holds, and counts exactly those bytes', async () => {
    const image = testImage({ seed: 'gc', layers: ['layer of the image'] });
    const manifest = image.manifests[0];
    if (!manifest) throw new Error('testImage made no manifest');
    await bus.send(RECORD_IMAGE_V1, { id: image.id, manifest, configJson: image.configJson });
    await put(image.configJson);
    await put('layer of the image');
    await put('held by a pull');
    await put('nobody wants me');
    const [layer, held, free] = [
      digestOf('layer of the image'),
      digestOf('held by a pull'),
      digestOf('nobody wants me'),
    ];
    const pull = await app?.get(ContentLeases).hold([held]);

    expect(await collect([image.id, layer, held, free, digestOf('never stored')])).toEqual({
      deleted: [free],
      reclaimedBytes: 'nobody wants me'.length,
    });
    expect(await present(free)).toBe(false);
    expect(await Promise.all([image.id, layer, held].map(present))).toEqual([true, true, true]);

    await pull?.release();
    const removed = await bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, { ref: image.id });
    const collected = await collect([...removed.releasedBlobs, held]);
    expect(collected.deleted.sort()).toEqual([image.id, layer, held].sort());
    expect(collected.reclaimedBytes).toBe(
      image.configJson.length + 'layer of the image'.length + 'held by a pull'.length,
    );
  });
});
