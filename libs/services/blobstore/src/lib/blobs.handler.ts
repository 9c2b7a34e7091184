import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DELETE_BLOBS_V1,
  DeleteBlobsV1,
  DeletedBlobsV1,
  STORE_USAGE_V1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { DeleteBlobsUseCase, StoreUsageUseCase } from './use-cases/blob-admin.use-cases';

/** BlobsHandler is the blobstore's bus surface; each method hands its message to one use-case. */
@Controller()
export class BlobsHandler {
  constructor(
    private readonly remove: DeleteBlobsUseCase,
    private readonly usage: StoreUsageUseCase,
  ) {}

  @MessagePattern(DELETE_BLOBS_V1)
  deleteBlobs(@Payload() request: DeleteBlobsV1): Promise<DeletedBlobsV1> {
    return this.remove.execute(request.digests);
  }

  @MessagePattern(STORE_USAGE_V1)
  storeUsage(): Promise<StoreUsageResultV1> {
    return this.usage.execute();
  }
}
