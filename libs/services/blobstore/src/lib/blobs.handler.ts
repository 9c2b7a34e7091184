import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BLOBSTORE_PING_V1,
  COLLECT_BLOBS_V1,
  CollectBlobsV1,
  CollectedBlobsV1,
  PongV1,
  STORE_USAGE_V1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { CollectBlobsUseCase } from './use-cases/collect-blobs/collect-blobs.use-case';
import { StoreUsageUseCase } from './use-cases/store-usage.use-case';

/** BlobsHandler is the blobstore's bus surface; each method hands its message to one use-case. */
@Controller()
export class BlobsHandler {
  constructor(
    private readonly collect: CollectBlobsUseCase,
    private readonly usage: StoreUsageUseCase,
  ) {}

  @MessagePattern(COLLECT_BLOBS_V1)
  collectBlobs(@Payload() request: CollectBlobsV1): Promise<CollectedBlobsV1> {
    return this.collect.execute(request);
  }

  @MessagePattern(STORE_USAGE_V1)
  storeUsage(): Promise<StoreUsageResultV1> {
    return this.usage.execute();
  }

  /** ping answers at once, touching no storage: a readiness probe's cheap round trip. */
  @MessagePattern(BLOBSTORE_PING_V1)
  ping(): PongV1 {
    return {};
  }
}
