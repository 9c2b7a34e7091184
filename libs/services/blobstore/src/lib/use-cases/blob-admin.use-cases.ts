import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { DeletedBlobsV1, StoreUsageResultV1 } from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';

/** DeleteBlobsUseCase removes committed blobs and reports the bytes freed. */
@Injectable()
export class DeleteBlobsUseCase {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  async execute(digests: string[]): Promise<DeletedBlobsV1> {
    const deleted: string[] = [];
    let reclaimedBytes = 0;
    for (const digest of digests.map((d) => Digest.parse(d))) {
      const info = await this.store.stat(digest);
      if (info && (await this.store.delete(digest))) {
        deleted.push(digest.toString());
        reclaimedBytes += info.size;
      }
    }
    return { deleted, reclaimedBytes };
  }
}

/** StoreUsageUseCase measures the store. */
@Injectable()
export class StoreUsageUseCase {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  execute(): Promise<StoreUsageResultV1> {
    return this.store.usage();
  }
}
