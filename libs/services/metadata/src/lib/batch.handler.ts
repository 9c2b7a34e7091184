import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BatchListV1,
  BatchRecord,
  CANCEL_BATCH_V1,
  CLAIM_BATCH_ITEM_V1,
  CREATE_BATCH_V1,
  CancelBatchV1,
  ClaimBatchItemV1,
  ClaimedBatchItemV1,
  CreateBatchV1,
  GET_BATCH_V1,
  GetBatchV1,
  LIST_BATCHES_V1,
  UPDATE_BATCH_ITEM_V1,
  UpdateBatchItemV1,
} from '@stevedore/contracts';
import {
  CancelBatchUseCase,
  ClaimBatchItemUseCase,
  CreateBatchUseCase,
  GetBatchUseCase,
  ListBatchesUseCase,
  UpdateBatchItemUseCase,
} from './use-cases/batches/batch.use-cases';

/** BatchHandler is the metadata service's bus surface for batch pulls. */
@Controller()
export class BatchHandler {
  constructor(
    private readonly create: CreateBatchUseCase,
    private readonly get: GetBatchUseCase,
    private readonly list: ListBatchesUseCase,
    private readonly cancel: CancelBatchUseCase,
    private readonly claim: ClaimBatchItemUseCase,
    private readonly update: UpdateBatchItemUseCase,
  ) {}

  @MessagePattern(CREATE_BATCH_V1)
  createBatch(@Payload() request: CreateBatchV1): Promise<BatchRecord> {
    return this.create.execute(request);
  }

  @MessagePattern(GET_BATCH_V1)
  getBatch(@Payload() request: GetBatchV1): Promise<BatchRecord> {
    return this.get.execute(request);
  }

  @MessagePattern(LIST_BATCHES_V1)
  listBatches(): Promise<BatchListV1> {
    return this.list.execute();
  }

  @MessagePattern(CANCEL_BATCH_V1)
  cancelBatch(@Payload() request: CancelBatchV1): Promise<BatchRecord> {
    return this.cancel.execute(request);
  }

  @MessagePattern(CLAIM_BATCH_ITEM_V1)
  claimItem(@Payload() request: ClaimBatchItemV1): Promise<ClaimedBatchItemV1> {
    return this.claim.execute(request);
  }

  @MessagePattern(UPDATE_BATCH_ITEM_V1)
  async updateItem(@Payload() request: UpdateBatchItemV1): Promise<{ ok: true }> {
    await this.update.execute(request);
    return { ok: true };
  }
}
