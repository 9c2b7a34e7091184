import { INestMicroservice, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENGINE_IDENTITY_V1,
  EngineIdentityV1,
  GET_IMAGE_V1,
  ImageListV1,
  ImageRecord,
  LIST_IMAGES_V1,
  RECORD_IMAGE_V1,
  REMOVE_IMAGE_V1,
  RecordImageResultV1,
  RemoveImageResultV1,
  TAG_IMAGE_V1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { SqliteMetadataStore } from '@stevedore/metadata-store';
import {
  Bus,
  DomainRpcExceptionFilter,
  InProcessBroker,
  InProcessClient,
  InProcessServer,
  MessageHandlerInterceptor,
} from '@stevedore/messaging';
import { failure, imageAndCommand } from '../test/metadata-harness';
import { MetadataServiceModule } from './metadata-service.module';

describe('MetadataServiceModule over the in-process bus', () => {
  let dir: string;
  let dbPath: string;
  let app: INestMicroservice | undefined;
  let bus: Bus;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metadata-service-'));
    dbPath = join(dir, 'data', 'metadata.db');
    const broker = new InProcessBroker();
    app = await NestFactory.createMicroservice<MicroserviceOptions>(
      MetadataServiceModule.forRoot({ store: { kind: 'sqlite', path: dbPath }, dataRoot: dir }),
      { strategy: new InProcessServer(broker), logger: false },
    );
    app.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    app.useGlobalFilters(new DomainRpcExceptionFilter());
    app.useGlobalInterceptors(new MessageHandlerInterceptor());
    await app.listen();
    const client = new InProcessClient(broker);
    bus = new Bus(() => client);
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const a = imageAndCommand({ seed: 'bus a', tag: 'docker.io/library/busybox:latest' });

  it('records, lists, finds and tags an image through metadata.* messages', async () => {
    const recorded = await bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, a.command);
    expect(recorded).toMatchObject({
      changed: true,
      image: { id: a.image.id, repoTags: ['docker.io/library/busybox:latest'] },
    });
    const listed = await bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    expect(listed.images.map((i) => i.id)).toEqual([a.image.id]);
    expect((await bus.send<ImageRecord>(GET_IMAGE_V1, { ref: a.image.id.slice(7, 19) })).id).toBe(
      a.image.id,
    );
    const tagged = await bus.send<ImageRecord>(TAG_IMAGE_V1, {
      id: a.image.id,
      tag: 'docker.io/library/mine:1',
    });
    expect(tagged.repoTags).toEqual([
      'docker.io/library/busybox:latest',
      'docker.io/library/mine:1',
    ]);
  });

  it("brings NOT_FOUND back as a DomainError with Docker's text", async () => {
    const error = await failure(bus.send(GET_IMAGE_V1, { ref: 'nosuch:1' }));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No such image: nosuch:1' });
  });

  it('turns invalid payloads into INVALID_ARGUMENT naming the field', async () => {
    const badId = await failure(bus.send(RECORD_IMAGE_V1, { ...a.command, id: 'not-a-digest' }));
    expect(badId).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/id must be a sha256 or sha512 digest/),
    });
    const extra = await failure(bus.send(GET_IMAGE_V1, { ref: 'busybox', sneaky: true }));
    expect(extra).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/sneaky should not exist/),
    });
  });

  it('answers CONFLICT for rmi by ID of a multi-repository image, then removes it when forced', async () => {
    const conflict = await failure(bus.send(REMOVE_IMAGE_V1, { ref: a.image.id }));
    expect(conflict).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/image is referenced in multiple repositories$/),
    });
    const removed = await bus.send<RemoveImageResultV1>(REMOVE_IMAGE_V1, {
      ref: a.image.id,
      force: true,
    });
    expect(removed.items.slice(0, 3)).toEqual([
      { Untagged: 'busybox:latest' },
      { Untagged: 'mine:1' },
      { Deleted: a.image.id },
    ]);
  });

  it('answers one engine id, a UUID kept in <data root>/engine-id', async () => {
    const first = await bus.send<EngineIdentityV1>(ENGINE_IDENTITY_V1, {});
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.dataRoot).toBe(dir);
    expect((await readFile(join(dir, 'engine-id'), 'utf8')).trim()).toBe(first.id);
    expect(await bus.send<EngineIdentityV1>(ENGINE_IDENTITY_V1, {})).toEqual(first);
  });

  it('keeps its records in the SQLite file, closed cleanly on shutdown', async () => {
    const b = imageAndCommand({ seed: 'bus b', tag: 'docker.io/library/kept:1' });
    await bus.send(RECORD_IMAGE_V1, b.command);
    await app?.close();
    app = undefined;
    // SQLite removes the WAL file when its last connection closes: proof the store was closed.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const reopened = SqliteMetadataStore.open(dbPath);
    try {
      expect((await reopened.findImageByTag('docker.io/library/kept:1'))?.id).toBe(b.image.id);
    } finally {
      await reopened.close();
    }
  });
});
