import { ArrayMaxSize, IsArray } from 'class-validator';
import { IsDigest } from '../common/validators';

export const COLLECT_BLOBS_V1 = 'blobstore.blobs.collect.v1' as const;
/**
 * Garbage-collects `digests` (typically the blobs a removal released): each one that no image
 * references and no content lease holds at delete time is deleted. The only way a blob is deleted.
 */
export class CollectBlobsV1 {
  @IsArray() @ArrayMaxSize(10_000) @IsDigest({ each: true }) digests!: string[];
}
export interface CollectedBlobsV1 {
  /** The blobs this call deleted. */
  deleted: string[];
  /** The bytes those blobs took, exactly. */
  reclaimedBytes: number;
}

export const BLOBSTORE_PING_V1 = 'blobstore.health.ping.v1' as const;

export const STORE_USAGE_V1 = 'blobstore.store.usage.v1' as const;
/** Asks for the store's size. */
export class StoreUsageV1 {}
export interface StoreUsageResultV1 {
  blobs: number;
  bytes: number;
}

export const RECLAIM_INGESTS_V1 = 'blobstore.ingests.reclaim.v1' as const;
/**
 * Reclaims interrupted downloads (ingests) beyond the configured age and total size, oldest
 * first, and registry uploads (`/v2/` pushes) untouched for longer than that age; an ingest or
 * upload being written stays. Sent by `docker image prune` before it removes images, so a full
 * disk has room again for the database writes the removals need.
 */
export class ReclaimIngestsV1 {}
export interface ReclaimedIngestsV1 {
  /** The ingests removed. */
  ingests: number;
  /** The abandoned uploads removed. */
  uploads: number;
  /** The bytes they held, both kinds. */
  reclaimedBytes: number;
}
