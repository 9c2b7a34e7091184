import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';
import { IsDigest } from '../common/validators';
import { MAX_MANIFEST_BLOBS } from './repository-manifest.messages';

/** The most store names one membership question may list (the names a repository goes by). */
export const MAX_MEMBER_NAMES = 32;
/** The longest store name a membership question may list. */
export const MAX_MEMBER_NAME_LENGTH = 512;

export const LINK_BLOBS_V1 = 'metadata.blob.link.v1' as const;
/**
 * Links blobs into a `/v2/` repository (`team/app`): an upload completed there, a mount into it,
 * or a pull-through pull that resolved them for it. Idempotent; the blobs need not be stored yet.
 */
export class LinkBlobsV1 {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANIFEST_BLOBS)
  @IsDigest({ each: true })
  digests!: string[];
}
export interface LinkBlobsResultV1 {
  linked: true;
}

export const BLOB_MEMBER_V1 = 'metadata.blob.member.v1' as const;
/**
 * Asks whether blob `digest` is in `/v2/` repository `repository`: linked into it (see
 * LINK_BLOBS_V1), named by one of its repository manifests, or referred to (manifest, index,
 * config, layer) by an image that has a tag or digest reference under one of `names` — the fully
 * qualified store names the repository is served from (`docker.io/library/busybox`, `localhost:5000/team/app`).
 */
export class BlobMemberV1 {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsDigest() digest!: string;
  @IsArray()
  @ArrayMaxSize(MAX_MEMBER_NAMES)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_MEMBER_NAME_LENGTH, { each: true })
  names!: string[];
}
export interface BlobMemberResultV1 {
  member: boolean;
}
