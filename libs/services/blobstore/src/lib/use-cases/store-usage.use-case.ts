import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { StoreUsageResultV1 } from '@stevedore/contracts';

/** StoreUsageUseCase measures the store (it walks every blob: not for probes). */
@Injectable()
export class StoreUsageUseCase {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  execute(): Promise<StoreUsageResultV1> {
    return this.store.usage();
  }
}
