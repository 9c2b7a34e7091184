import { INestMicroservice, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore, FsBlobUploads, StoreLayout } from '@stevedore/blob-fs';
import { RECLAIM_INGESTS_V1, ReclaimedIngestsV1 } from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';
import {
  Bus,
  DomainRpcExceptionFilter,
  InProcessBroker,
  InProcessServer,
  MessagingModule,
} from '@stevedore/messaging';
import { BlobstoreServiceModule } from '../../blobstore-service.module';

const HOUR = 3_600_000;

describe('the blobstore reclaims interrupted downloads (in-process bus, real files)', () => {
  let dir: string;
  let layout: StoreLayout;
  let app: INestMicroservice | undefined;

  /** Leaves an interrupted download of `kept` bytes, last written `hoursAgo`, as a crashed pull would. */
  async function interrupted(kept: number, hoursAgo: number): Promise<string> {
    const bytes = randomBytes(kept * 2);
    const digest = Digest.fromBytes(bytes);
    const ingest = await new FsBlobStore(layout.root).ingest({ digest, size: bytes.length });
    await ingest.write(bytes.subarray(0, kept));
    await ingest.close();
    const then = new Date(Date.now() - hoursAgo * HOUR);
    await utimes(layout.ingestDataPath(digest), then, then);
    return `sha256-${digest.hex}`;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blobstore-reclaim-'));
    layout = new StoreLayout(join(dir, 'content'));
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('at start-up, removes what outgrew the limits; prune’s message removes more once it is stale', async () => {
    await interrupted(3000, 30);
    const young = await interrupted(2000, 1);
    const broker = new InProcessBroker();
    @Module({
      imports: [
        MessagingModule.forRoot({ kind: 'in-process', broker }),
        BlobstoreServiceModule.forRoot({
          dataRoot: dir,
          ingestLimits: { maxAgeMs: 24 * HOUR, maxBytes: 1024 ** 3 },
        }),
      ],
    })
    class BlobstoreOnly {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(BlobstoreOnly, {
      strategy: new InProcessServer(broker),
      logger: false,
    });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
    app.useGlobalFilters(new DomainRpcExceptionFilter());
    await app.listen();
    expect(await readdir(layout.ingestDir)).toEqual([young]);

    const bus = app.get(Bus);
    const nothing = await bus.send<ReclaimedIngestsV1>(RECLAIM_INGESTS_V1, {});
    expect(nothing).toEqual({ ingests: 0, uploads: 0, reclaimedBytes: 0 });
    const old = new Date(Date.now() - 25 * HOUR);
    await utimes(join(layout.ingestDir, young, 'data'), old, old);
    const upload = await app.get(FsBlobUploads).start();
    await app.get(FsBlobUploads).append(
      upload,
      0,
      (async function* () {
        yield randomBytes(500);
      })(),
    );
    await utimes(join(dir, 'uploads', upload), old, old);
    const reclaimed = await bus.send<ReclaimedIngestsV1>(RECLAIM_INGESTS_V1, {});
    expect(reclaimed).toEqual({ ingests: 1, uploads: 1, reclaimedBytes: 2500 });
    expect(await readdir(layout.ingestDir)).toEqual([]);
    expect(await readdir(join(dir, 'uploads'))).toEqual([]);
  });
});
