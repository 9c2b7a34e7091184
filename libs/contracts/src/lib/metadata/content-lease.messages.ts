import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsDigest } from '../common/validators';

export const LEASE_CONTENT_V1 = 'metadata.content.lease.v1' as const;
/**
 * Protects `digests` from garbage collection for `holder` until now + `ttlMs`; sent again by the
 * same holder it adds digests and renews every lease of the holder (a heartbeat). Many holders may
 * lease one digest. Refused while a collector is deleting one of the digests.
 */
export class LeaseContentV1 {
  @IsString() @MaxLength(256) holder!: string;
  @IsArray() @ArrayMaxSize(10_000) @IsDigest({ each: true }) digests!: string[];
  @IsInt() @Min(1000) @Max(600_000) ttlMs!: number;
}
/** Either the lease is held, or `collecting` names the digests a collector is deleting right now. */
export type ContentLeaseV1 = { acquired: true } | { acquired: false; collecting: string[] };

export const RELEASE_CONTENT_V1 = 'metadata.content.release.v1' as const;
/** Drops every content lease of `holder`. */
export class ReleaseContentV1 {
  @IsString() @MaxLength(256) holder!: string;
}

export const CLAIM_GARBAGE_V1 = 'metadata.garbage.claim.v1' as const;
/**
 * The collector's side, one atomic step: of `digests`, those no image references and no live
 * content lease holds are marked as being collected by `collector` until released or `ttlMs` passed.
 */
export class ClaimGarbageV1 {
  @IsString() @MaxLength(256) collector!: string;
  @IsArray() @ArrayMaxSize(10_000) @IsDigest({ each: true }) digests!: string[];
  @IsInt() @Min(1000) @Max(600_000) ttlMs!: number;
}
export interface ClaimedGarbageV1 {
  /** The digests the collector may delete now, in request order. */
  claimed: string[];
}

export const RELEASE_GARBAGE_V1 = 'metadata.garbage.release.v1' as const;
/** Drops every mark of `collector`: it is done deleting. */
export class ReleaseGarbageV1 {
  @IsString() @MaxLength(256) collector!: string;
}

export const METADATA_PING_V1 = 'metadata.health.ping.v1' as const;
