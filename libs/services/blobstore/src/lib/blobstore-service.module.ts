import { DynamicModule, Module, Provider } from '@nestjs/common';
import { join } from 'node:path';
import { BLOB_STORE } from '@stevedore/blob-port';
import { FsBlobStore } from '@stevedore/blob-fs';
import { BlobsHandler } from './blobs.handler';
import {
  INTERNAL_BLOB_LISTEN,
  InternalBlobServer,
  InternalEndpoint,
} from './internal-http/internal-blob.server';
import { CollectBlobsUseCase } from './use-cases/collect-blobs/collect-blobs.use-case';
import { StoreUsageUseCase } from './use-cases/store-usage.use-case';

export interface BlobstoreServiceOptions {
  /** The data root; blobs live under `<dataRoot>/content`. */
  dataRoot: string;
  /** Serve the internal streaming endpoint here, to callers with its token (cluster topology). */
  internalHttp?: InternalEndpoint;
  /** Called with the size of each chunk written to the store (the app's memory tuning). */
  onBytesWritten?: (bytes: number) => void;
}

/**
 * BlobstoreServiceModule owns the bytes: it provides the BLOB_STORE port (globally, so the
 * embedded topology's other services write and read through it directly) and answers the
 * blobstore.* messages (collecting garbage asks metadata over the global Bus); in a cluster it
 * also serves the internal blob endpoint.
 */
@Module({})
export class BlobstoreServiceModule {
  static forRoot(options: BlobstoreServiceOptions): DynamicModule {
    const providers: Provider[] = [
      {
        provide: BLOB_STORE,
        useValue: new FsBlobStore(join(options.dataRoot, 'content'), {
          onBytesWritten: options.onBytesWritten,
        }),
      },
      CollectBlobsUseCase,
      StoreUsageUseCase,
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
      exports: [BLOB_STORE],
    };
  }
}
