import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { parseBlobstoreUrls } from '@stevedore/config';
import { BLOB_STORE, BLOB_UPLOADS } from '@stevedore/blob-port';
import { BalancedBlobStore } from './balanced-blob-store';
import { HttpBlobStore } from './http-blob-store';
import { HttpBlobUploads } from './http-blob-uploads';

/**
 * BlobClientModule provides the BLOB_STORE and BLOB_UPLOADS ports as HTTP clients of a remote blobstore —
 * what every non-blobstore service of a cluster imports.
 */
@Module({})
export class BlobClientModule implements OnModuleDestroy {
  constructor(
    @Inject(BLOB_STORE) private readonly store: HttpBlobStore | BalancedBlobStore,
    @Inject(BLOB_UPLOADS) private readonly uploads: HttpBlobUploads,
  ) {}

  /**
   * forRoot takes the blobstore's URL, or several replicas' URLs separated by commas, and the
   * token their internal endpoints require.
   */
  static forRoot(baseUrls: string, token: string): DynamicModule {
    const urls = parseBlobstoreUrls(baseUrls);
    const store =
      urls.length === 1
        ? new HttpBlobStore(urls[0] as string, token)
        : new BalancedBlobStore(urls.map((u) => new HttpBlobStore(u, token)));
    // Uploads sit on the replicas' shared disk: the first replica serves them all.
    const uploads = new HttpBlobUploads(urls[0] as string, token);
    return {
      module: BlobClientModule,
      global: true,
      providers: [
        { provide: BLOB_STORE, useValue: store },
        { provide: BLOB_UPLOADS, useValue: uploads },
      ],
      exports: [BLOB_STORE, BLOB_UPLOADS],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
    await this.uploads.close();
  }
}
