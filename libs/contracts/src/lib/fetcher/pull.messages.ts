import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { ImageManifestRecord, ImageRecord } from '../metadata/image-record';

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
}

/** What a pull reports, in order: where the reference resolved, each blob's progress, the image. */
export type PullEventV1 =
  | { type: 'resolved'; reference: string; digest: string; manifest: ImageManifestRecord }
  | ({ type: 'blob' } & BlobProgressV1)
  | { type: 'image'; image: ImageRecord; changed: boolean };

/** States a blob goes through in a pull, in order (`exists` replaces all of them). */
export type BlobState = 'queued' | 'exists' | 'downloading' | 'verifying' | 'done';

export interface BlobProgressV1 {
  digest: string;
  state: BlobState;
  /** Bytes received so far (downloading), or the blob's size (done/exists). */
  current: number;
  total: number;
}
