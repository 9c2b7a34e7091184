import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsDigest } from '../common/validators';
import type { ImageManifestRecord, ImageRecord } from '../metadata/image-record';
import { ManifestRecordDto } from '../metadata/image.messages';
import type { ResolvedImageV1 } from '../resolver/resolve.messages';

/** What the reference of a pull resolved to (a {@link ResolvedImageV1}, validated). */
export class ResolvedImageDto {
  @IsString() @MaxLength(4096) reference!: string;
  @IsDigest() topDigest!: string;
  @IsDefined() @ValidateNested() @Type(() => ManifestRecordDto) manifest!: ManifestRecordDto;
}

export const PULL_IMAGE_V1 = 'fetcher.image.pull.v1' as const;
/**
 * Pulls one image end to end in a fetcher: resolve the reference (resolver), download the missing
 * blobs into the store, record the image and its tag (metadata). Streams a {@link PullEventV1}
 * for each step and blob state change, then completes.
 */
export class PullImageV1 {
  /** Any reference the user typed (`busybox`, `localhost:5000/app@sha256:…`). */
  @IsString() @MaxLength(4096) reference!: string;
  /** `os/arch[/variant]`; the host platform when absent. */
  @IsOptional() @IsString() platform?: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
  /**
   * What the reference resolved to, when the caller asked the resolver already (and found the
   * image not stored): the fetcher then neither resolves again nor checks for the image.
   */
  @IsOptional() @ValidateNested() @Type(() => ResolvedImageDto) resolved?: ResolvedImageDto;
}

/** What a pull reports, in order: where the reference resolved, each blob's progress, the image. */
export type PullEventV1 =
  | { type: 'resolved'; reference: string; digest: string; manifest: ImageManifestRecord }
  | ({ type: 'blob' } & BlobProgressV1)
  | { type: 'image'; image: ImageRecord; changed: boolean };

/** resolvedPullEvent is the first event of every pull: where its reference resolved. */
export function resolvedPullEvent(resolved: ResolvedImageV1): PullEventV1 {
  const { reference, topDigest, manifest } = resolved;
  return { type: 'resolved', reference, digest: topDigest, manifest };
}

/** States a blob goes through in a pull, in order (`exists` replaces all of them). */
export type BlobState = 'queued' | 'exists' | 'downloading' | 'verifying' | 'done';

export interface BlobProgressV1 {
  digest: string;
  state: BlobState;
  /** Bytes received so far (downloading), or the blob's size (done/exists). */
  current: number;
  total: number;
}
