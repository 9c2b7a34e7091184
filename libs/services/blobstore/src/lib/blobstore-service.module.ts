import { DynamicModule, Logger, Module, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { join } from 'node:path';
import { BLOB_STORE, BLOB_UPLOADS } from '@stevedore/blob-port';
import { FsBlobStore, FsBlobUploads, IngestLimits } from '@stevedore/blob-fs';
import { BlobsHandler } from './blobs.handler';
import {
  INTERNAL_BLOB_LISTEN,
  InternalBlobServer,
  InternalEndpoint,
} from './internal-http/internal-blob.server';
import { CollectBlobsUseCase } from './use-cases/collect-blobs/collect-blobs.use-case';
import {
  INGEST_LIMITS,
  ReclaimIngestsUseCase,
} from './use-cases/reclaim-ingests/reclaim-ingests.use-case';
import { StoreUsageUseCase } from './use-cases/store-usage.use-case';

export interface BlobstoreServiceOptions {
  /** The data root; blobs live under `<dataRoot>/content`. */
  dataRoot: string;
  /** How much of interrupted downloads to keep for resuming (the config's `ingest-*` keys). */
  ingestLimits: IngestLimits;
  /** Serve the internal streaming endpoint here, to callers with its token (cluster topology). */
  internalHttp?: InternalEndpoint;
}

/**
 * BlobstoreServiceModule owns the bytes: it provides the BLOB_STORE port (globally, so the
 * embedded topology's other services write and read through it directly) and answers the
 * blobstore.* messages (collecting garbage asks metadata over the global Bus); in a cluster it
 * also serves the internal blob endpoint. At start-up it reclaims the interrupted downloads a
 * previous run left beyond the limits, and the registry uploads clients abandoned.
 */
@Module({})
export class BlobstoreServiceModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(BlobstoreServiceModule.name);

  constructor(private readonly reclaim: ReclaimIngestsUseCase) {}

  static forRoot(options: BlobstoreServiceOptions): DynamicModule {
    const store = new FsBlobStore(join(options.dataRoot, 'content'));
    // The registry's push sessions, beside the content they become (`<dataRoot>/uploads`).
    const uploads = new FsBlobUploads(join(options.dataRoot, 'uploads'), store);
    const providers: Provider[] = [
      { provide: FsBlobStore, useValue: store },
      { provide: BLOB_STORE, useValue: store },
      { provide: FsBlobUploads, useValue: uploads },
      { provide: BLOB_UPLOADS, useValue: uploads },
      { provide: INGEST_LIMITS, useValue: options.ingestLimits },
      CollectBlobsUseCase,
      StoreUsageUseCase,
      ReclaimIngestsUseCase,
    ];
    if (options.internalHttp) {
      providers.push(
        { provide: INTERNAL_BLOB_LISTEN, useValue: options.internalHttp },
        InternalBlobServer,
      );
    }
    return {
      module: BlobstoreServiceModule,
      global: true,
      controllers: [BlobsHandler],
      providers,
      exports: [BLOB_STORE, BLOB_UPLOADS],
    };
  }

  /** A reclaim that fails (a broken disk) must not keep the service from starting: it is retried by prune. */
  async onApplicationBootstrap(): Promise<void> {
    await this.reclaim.execute().catch((err: unknown) =>
      this.logger.warn({
        msg: 'could not reclaim interrupted downloads and uploads',
        err: String(err),
      }),
    );
  }
}
