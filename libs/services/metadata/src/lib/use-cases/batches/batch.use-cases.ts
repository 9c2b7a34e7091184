import { Inject, Injectable } from '@nestjs/common';
import type {
  BatchListV1,
  BatchRecord,
  CancelBatchV1,
  ClaimBatchItemV1,
  ClaimedBatchItemV1,
  CreateBatchV1,
  GetBatchV1,
  UpdateBatchItemV1,
} from '@stevedore/contracts';
import { DomainError, isErrorCode, parseReference } from '@stevedore/domain';
import { BATCH_STORE, BatchStore } from '@stevedore/metadata-store';

/** CreateBatchUseCase records a batch of fully qualified references, every item queued. */
@Injectable()
export class CreateBatchUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  execute(request: CreateBatchV1): Promise<BatchRecord> {
    // Validated here too: a batch with one bad name is refused whole, before anything is queued.
    const references = request.references.map((r) => parseReference(r).toString());
    return this.store.createBatch(references, request.platform);
  }
}

/** GetBatchUseCase returns one batch with its items; NOT_FOUND when unknown. */
@Injectable()
export class GetBatchUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  async execute(request: GetBatchV1): Promise<BatchRecord> {
    const batch = await this.store.getBatch(request.id);
    if (!batch) throw DomainError.notFound(`no such batch: ${request.id}`);
    return batch;
  }
}

/** ListBatchesUseCase returns every batch, newest first. */
@Injectable()
export class ListBatchesUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  async execute(): Promise<BatchListV1> {
    return { batches: await this.store.listBatches() };
  }
}

/** CancelBatchUseCase cancels the items that have not started. */
@Injectable()
export class CancelBatchUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  execute(request: CancelBatchV1): Promise<BatchRecord> {
    return this.store.cancelBatch(request.id);
  }
}

/** ClaimBatchItemUseCase starts an attempt at a queued item, once. */
@Injectable()
export class ClaimBatchItemUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  async execute(request: ClaimBatchItemV1): Promise<ClaimedBatchItemV1> {
    return this.store.claimItem(request.batchId, request.index, request.staleAfterMs);
  }
}

/** UpdateBatchItemUseCase records an item's progress or the end of its attempt. */
@Injectable()
export class UpdateBatchItemUseCase {
  constructor(@Inject(BATCH_STORE) private readonly store: BatchStore) {}

  async execute(request: UpdateBatchItemV1): Promise<void> {
    const code = request.errorCode;
    if (code !== undefined && !isErrorCode(code))
      throw DomainError.invalidArgument(`unknown error code ${code}`);
    await this.store.updateItem(request.batchId, request.index, {
      state: request.state,
      ...(request.current !== undefined ? { current: request.current } : {}),
      ...(request.total !== undefined ? { total: request.total } : {}),
      ...(request.imageId !== undefined ? { imageId: request.imageId } : {}),
      ...(code !== undefined ? { error: { code, message: request.errorMessage ?? '' } } : {}),
    });
  }
}

export const BATCH_USE_CASES = [
  CreateBatchUseCase,
  GetBatchUseCase,
  ListBatchesUseCase,
  CancelBatchUseCase,
  ClaimBatchItemUseCase,
  UpdateBatchItemUseCase,
];
