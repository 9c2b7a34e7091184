import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';

export const ACQUIRE_LEASE_V1 = 'metadata.lease.acquire.v1' as const;
/**
 * Takes or renews the lease on `key` for `holder`, for `ttlMs`: granted when nobody holds it,
 * when its holder let it expire, or when `holder` holds it already (a heartbeat).
 */
export class AcquireLeaseV1 {
  @IsString() @MaxLength(512) key!: string;
  @IsString() @MaxLength(256) holder!: string;
  @IsInt() @Min(1000) @Max(600_000) ttlMs!: number;
}
export interface LeaseV1 {
  acquired: boolean;
  /** Who holds it now. */
  holder: string;
  expiresAt: string;
}

export const RELEASE_LEASE_V1 = 'metadata.lease.release.v1' as const;
/** Gives a lease up, if `holder` still holds it. */
export class ReleaseLeaseV1 {
  @IsString() @MaxLength(512) key!: string;
  @IsString() @MaxLength(256) holder!: string;
}
