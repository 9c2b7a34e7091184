import { Inject, Injectable } from '@nestjs/common';
import {
  BLOB_STORE,
  BlobStatV1,
  BlobStore,
  DeletedBlobsV1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';

/** StatBlobUseCase answers whether a blob is committed, and its size. */
@Injectable()
export class StatBlobUseCase {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  async execute(digest: string): Promise<BlobStatV1> {
    const info = await this.store.stat(digest);
    if (!info) throw DomainError.notFound(`blob ${digest} not found`);
    return info;
  }
}

/** DeleteBlobsUseCase removes committed blobs and reports the bytes freed. */
@Injectable()
export class DeleteBlobsUseCase {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  async execute(digests: string[]): Promise<DeletedBlobsV1> {
    const deleted: string[] = [];
    let reclaimedBytes = 0;
    for (const digest of digests) {
      const info = await this.store.stat(digest);
      if (info && (await this.store.delete(digest))) {
        deleted.push(digest);
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
