import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACQUIRE_LEASE_V1,
  ACQUIRE_SLOT_V1,
  AcquireLeaseV1,
  AcquireSlotV1,
  GET_LEASE_V1,
  GetLeaseV1,
  LeaseStateV1,
  LeaseV1,
  RELEASE_LEASE_V1,
  ReleaseLeaseV1,
  SlotV1,
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
  LeaseUseCase,
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
    private readonly lease: LeaseUseCase,
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

  @MessagePattern(ACQUIRE_LEASE_V1)
  acquireLease(@Payload() request: AcquireLeaseV1): Promise<LeaseV1> {
    return this.lease.acquire(request);
  }

  @MessagePattern(GET_LEASE_V1)
  getLease(@Payload() request: GetLeaseV1): Promise<LeaseStateV1> {
    return this.lease.get(request);
  }

  @MessagePattern(ACQUIRE_SLOT_V1)
  acquireSlot(@Payload() request: AcquireSlotV1): Promise<SlotV1> {
    return this.lease.acquireSlot(request);
  }

  @MessagePattern(RELEASE_LEASE_V1)
  async releaseLease(@Payload() request: ReleaseLeaseV1): Promise<{ ok: true }> {
    await this.lease.release(request);
    return { ok: true };
  }

  @MessagePattern(UPDATE_BATCH_ITEM_V1)
  async updateItem(@Payload() request: UpdateBatchItemV1): Promise<{ ok: true }> {
    await this.update.execute(request);
    return { ok: true };
  }
}
