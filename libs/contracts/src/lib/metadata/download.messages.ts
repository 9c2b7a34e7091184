import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDigest } from '../common/validators';

export const RELEASE_DOWNLOAD_V1 = 'metadata.download.release.v1' as const;
/** Gives up the blob's lease and the slot of a grant (what `holder` no longer holds is left alone). */
export class ReleaseDownloadV1 {
  @IsDigest() digest!: string;
  @IsString() @MaxLength(256) holder!: string;
  @IsString() @MaxLength(512) slot!: string;
}

export const ACQUIRE_DOWNLOAD_V1 = 'metadata.download.acquire.v1' as const;
/**
 * Asks, in one round trip, whether `holder` may download blob `digest` from `registry` now: no
 * shared back-off runs on the registry, nobody else downloads the blob, and one of the registry's
 * `limit` download slots is free. Granted, the holder holds the blob's lease and that slot for
 * `ttlMs`; sent again with the granted `slot`, it renews both (a heartbeat of a long download).
 */
export class AcquireDownloadV1 {
  @IsDigest() digest!: string;
  /** The registry host (`host[:port]`) the blob comes from. */
  @IsString() @MaxLength(255) registry!: string;
  @IsString() @MaxLength(256) holder!: string;
  /** The registry's `max-concurrent-downloads` over every fetcher. */
  @IsInt() @Min(1) @Max(1000) limit!: number;
  @IsInt() @Min(1000) @Max(600_000) ttlMs!: number;
  /** The slot of an earlier grant: renew it and the blob's lease instead of asking anew. */
  @IsOptional() @IsString() @MaxLength(512) slot?: string;
  /**
   * Grants this fetcher's finished downloads give back first, as {@link RELEASE_DOWNLOAD_V1}
   * would: a fetcher going on to its next blob hands its slot over without a round trip of its own.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => ReleaseDownloadV1)
  releases?: ReleaseDownloadV1[];
}
/** Why a download must wait: a registry back-off, another downloader of the blob, or no free slot. */
export type DownloadWaitReason = 'backoff' | 'downloading' | 'slots';
export type DownloadGrantV1 =
  | { granted: true; slot: string }
  | { granted: false; reason: DownloadWaitReason; retryAfterMs: number };

export const BACK_OFF_DOWNLOADS_V1 = 'metadata.download.back-off.v1' as const;
/** Holds every fetcher's new downloads from `registry` for `ms` (it answered 429 / Retry-After). */
export class BackOffDownloadsV1 {
  @IsString() @MaxLength(255) registry!: string;
  @IsInt() @Min(1000) @Max(600_000) ms!: number;
}
