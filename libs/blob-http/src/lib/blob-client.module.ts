import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { BLOB_STORE } from '@stevedore/contracts';
import { HttpBlobStore } from './http-blob-store';

/**
 * BlobClientModule provides the BLOB_STORE port as an HTTP client of a remote blobstore —
 * what every non-blobstore service of a cluster imports.
 */
@Module({})
export class BlobClientModule implements OnModuleDestroy {
  constructor(@Inject(BLOB_STORE) private readonly store: HttpBlobStore) {}

  static forRoot(baseUrl: string): DynamicModule {
    return {
      module: BlobClientModule,
      global: true,
      providers: [{ provide: BLOB_STORE, useValue: new HttpBlobStore(baseUrl) }],
      exports: [BLOB_STORE],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
