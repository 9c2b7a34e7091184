import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BLOBSTORE_PING_V1,
  COLLECT_BLOBS_V1,
  CollectBlobsV1,
  CollectedBlobsV1,
  PongV1,
  RECLAIM_INGESTS_V1,
  ReclaimedIngestsV1,
  STORE_USAGE_V1,
  StoreUsageResultV1,
} from '@stevedore/contracts';
import { CollectBlobsUseCase } from './use-cases/collect-blobs/collect-blobs.use-case';
import { ReclaimIngestsUseCase } from './use-cases/reclaim-ingests/reclaim-ingests.use-case';
import { StoreUsageUseCase } from './use-cases/store-usage.use-case';

/** BlobsHandler is the blobstore's bus surface; each method hands its message to one use-case. */
@Controller()
export class BlobsHandler {
  constructor(
    private readonly collect: CollectBlobsUseCase,
    private readonly usage: StoreUsageUseCase,
    private readonly reclaim: ReclaimIngestsUseCase,
  ) {}

  @MessagePattern(COLLECT_BLOBS_V1)
  collectBlobs(@Payload() request: CollectBlobsV1): Promise<CollectedBlobsV1> {
    return this.collect.execute(request);
  }

  @MessagePattern(RECLAIM_INGESTS_V1)
  reclaimIngests(): Promise<ReclaimedIngestsV1> {
    return this.reclaim.execute();
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
