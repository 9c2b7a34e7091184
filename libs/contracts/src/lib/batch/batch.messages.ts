import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
} from 'class-validator';
import type { BatchItemState, BatchRecord } from './batch-record';

/** The most images one batch may hold. */
export const MAX_BATCH_ITEMS = 5_000;

export const CREATE_BATCH_V1 = 'metadata.batch.create.v1' as const;
/** Records a new batch with its (already expanded) references, every item queued. */
export class CreateBatchV1 {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  references!: string[];
  @IsOptional() @IsString() platform?: string;
}

export const GET_BATCH_V1 = 'metadata.batch.get.v1' as const;
export class GetBatchV1 {
  @IsUUID() id!: string;
}

export const LIST_BATCHES_V1 = 'metadata.batch.list.v1' as const;
export class ListBatchesV1 {}
export interface BatchListV1 {
  batches: BatchRecord[];
}

export const CANCEL_BATCH_V1 = 'metadata.batch.cancel.v1' as const;
/** Cancels every item of the batch that has not started. */
export class CancelBatchV1 {
  @IsUUID() id!: string;
}

export const CLAIM_BATCH_ITEM_V1 = 'metadata.batch.claim-item.v1' as const;
/**
 * Moves a queued item to running and counts the attempt. Answers `claimed: false` when the item
 * is not queued (cancelled, finished, or running under a worker that is still alive).
 */
export class ClaimBatchItemV1 {
  @IsUUID() batchId!: string;
  @IsInt() @Min(0) index!: number;
  /** A running item whose worker has been silent this long is taken over. */
  @IsInt() @Min(1000) staleAfterMs!: number;
}
export interface ClaimedBatchItemV1 {
  claimed: boolean;
  attempts: number;
  state: BatchItemState;
}

export const UPDATE_BATCH_ITEM_V1 = 'metadata.batch.update-item.v1' as const;
/** Reports a running item's bytes, or ends its attempt: done, failed for good, or queued for a retry. */
export class UpdateBatchItemV1 {
  @IsUUID() batchId!: string;
  @IsInt() @Min(0) index!: number;
  @IsIn(['running', 'done', 'failed', 'queued']) state!: Exclude<BatchItemState, 'cancelled'>;
  @IsOptional() @IsInt() @Min(0) current?: number;
  @IsOptional() @IsInt() @Min(0) total?: number;
  @IsOptional() @IsString() imageId?: string;
  @IsOptional() @IsString() errorCode?: string;
  @IsOptional() @IsString() @MaxLength(4096) errorMessage?: string;
}

export const RUN_BATCH_ITEM_V1 = 'fetcher.batch-item.run.v1' as const;
/**
 * Pulls one item of a batch. An event on the fetchers' durable queue, which the replicas consume
 * competitively within their prefetch; acknowledged only once the attempt has ended (so a dead
 * worker's item is redelivered). Carries no credentials: batches use the configured ones.
 */
export class RunBatchItemV1 {
  @IsUUID() batchId!: string;
  @IsInt() @Min(0) index!: number;
  @IsString() @MaxLength(4096) reference!: string;
  @IsOptional() @IsString() platform?: string;
}
