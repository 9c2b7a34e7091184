import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BlobStatV1,
  DELETE_BLOBS_V1,
  DeleteBlobsV1,
  DeletedBlobsV1,
  STAT_BLOB_V1,
  STORE_USAGE_V1,
  StatBlobV1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import {
  DeleteBlobsUseCase,
  StatBlobUseCase,
  StoreUsageUseCase,
} from './use-cases/blob-admin.use-cases';

/** BlobsHandler is the blobstore's bus surface; each method hands its message to one use-case. */
@Controller()
export class BlobsHandler {
  constructor(
    private readonly stat: StatBlobUseCase,
    private readonly remove: DeleteBlobsUseCase,
    private readonly usage: StoreUsageUseCase,
  ) {}

  @MessagePattern(STAT_BLOB_V1)
  statBlob(@Payload() request: StatBlobV1): Promise<BlobStatV1> {
    return this.stat.execute(request.digest);
  }

  @MessagePattern(DELETE_BLOBS_V1)
  deleteBlobs(@Payload() request: DeleteBlobsV1): Promise<DeletedBlobsV1> {
    return this.remove.execute(request.digests);
  }

  @MessagePattern(STORE_USAGE_V1)
  storeUsage(): Promise<StoreUsageResultV1> {
    return this.usage.execute();
  }
}
