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

export const GET_LEASE_V1 = 'metadata.lease.get.v1' as const;
/** Reads a lease without taking it: who holds `key`, until when (nothing once expired). */
export class GetLeaseV1 {
  @IsString() @MaxLength(512) key!: string;
}
export interface LeaseStateV1 {
  holder?: string;
  expiresAt?: string;
}

export const ACQUIRE_SLOT_V1 = 'metadata.lease.acquire-slot.v1' as const;
/**
 * Takes one of `limit` slots of `scope` (leases `<scope>#0` … `<scope>#<limit-1>`): how all replicas
 * together keep to a concurrency limit. Answers the slot's lease key when one was free.
 */
export class AcquireSlotV1 {
  @IsString() @MaxLength(480) scope!: string;
  @IsString() @MaxLength(256) holder!: string;
  @IsInt() @Min(1) @Max(1000) limit!: number;
  @IsInt() @Min(1000) @Max(600_000) ttlMs!: number;
}
export interface SlotV1 {
  acquired: boolean;
  key?: string;
}
