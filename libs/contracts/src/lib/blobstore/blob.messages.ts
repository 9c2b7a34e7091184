import { ArrayMaxSize, IsArray } from 'class-validator';
import { IsDigest } from '../common/validators';

export const DELETE_BLOBS_V1 = 'blobstore.blob.delete.v1' as const;
/** Deletes committed blobs; answers which were deleted and the bytes freed. */
export class DeleteBlobsV1 {
  @IsArray() @ArrayMaxSize(10_000) @IsDigest({ each: true }) digests!: string[];
}
export interface DeletedBlobsV1 {
  deleted: string[];
  reclaimedBytes: number;
}

export const STORE_USAGE_V1 = 'blobstore.store.usage.v1' as const;
/** Asks for the store's size. */
export class StoreUsageV1 {}
export interface StoreUsageResultV1 {
  blobs: number;
  bytes: number;
}
