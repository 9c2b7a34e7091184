import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsNotEmpty,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { TAG_RE } from '@stevedore/domain';
import { IsDigest } from '../common/validators';

/**
 * RepositoryManifestRecord is a manifest pushed to a `/v2/` repository that metadata keeps beside
 * the images: an artifact (its config is no image config, so it is no image and `docker images`
 * does not list it), or any manifest with a `subject` (the referrers API's index). `repository`
 * is the name as `/v2/` serves it (`team/app`), whatever host the client addressed.
 */
export interface RepositoryManifestRecord {
  repository: string;
  digest: string;
  mediaType: string;
  size: number;
  /** The manifest's `artifactType`, else its config's media type (as the referrers API shows it). */
  artifactType?: string;
  /** The digest of the manifest's `subject`. */
  subject?: string;
  annotations?: Record<string, string>;
  /** Every blob it names, itself included: garbage collection keeps them while the record lives. */
  blobs: string[];
  /** The image it was recorded as, when it is one: the record goes when the image does. */
  imageId?: string;
}

/** The most blobs one recorded manifest may name. */
export const MAX_MANIFEST_BLOBS = 10_000;

export const RECORD_MANIFEST_V1 = 'metadata.manifest.record.v1' as const;
/** Records (or replaces) a repository manifest; its blobs must be committed. */
export class RecordManifestV1 implements RepositoryManifestRecord {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsDigest() digest!: string;
  @IsString() mediaType!: string;
  @IsInt() @Min(0) size!: number;
  @IsOptional() @IsString() artifactType?: string;
  @IsOptional() @IsDigest() subject?: string;
  @IsOptional() @IsObject() annotations?: Record<string, string>;
  @IsArray() @ArrayMaxSize(MAX_MANIFEST_BLOBS) @IsDigest({ each: true }) blobs!: string[];
  @IsOptional() @IsDigest() imageId?: string;
  /** A tag of the repository to move onto this manifest (an artifact pushed by tag). */
  @IsOptional() @IsString() @Matches(TAG_RE) tag?: string;
}

export const GET_MANIFEST_V1 = 'metadata.manifest.get.v1' as const;
/** Asks for one repository manifest by digest. */
export class GetManifestV1 {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsDigest() digest!: string;
}
export interface GetManifestResultV1 {
  manifest?: RepositoryManifestRecord;
}

export const LIST_REFERRERS_V1 = 'metadata.manifest.referrers.v1' as const;
/** Lists a repository's manifests whose subject is `subject`, optionally of one artifact type. */
export class ListReferrersV1 {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsDigest() subject!: string;
  @IsOptional() @IsString() artifactType?: string;
}
export interface ReferrerListV1 {
  /** Oldest first (then by digest). */
  manifests: RepositoryManifestRecord[];
}

export const REMOVE_MANIFEST_V1 = 'metadata.manifest.remove.v1' as const;
/** Removes a repository manifest; its blobs go to garbage collection unless something else holds them. */
export class RemoveManifestV1 {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsDigest() digest!: string;
}
export interface RemoveManifestResultV1 {
  removed: boolean;
}

/** ManifestTagV1 is a tag of a repository that names a repository manifest (an artifact). */
export interface ManifestTagV1 {
  repository: string;
  tag: string;
  digest: string;
}

export const LIST_MANIFEST_TAGS_V1 = 'metadata.manifest.tags.v1' as const;
/** Lists the artifact tags of one repository, or of every repository. */
export class ListManifestTagsV1 {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255) repository?: string;
}
export interface ManifestTagListV1 {
  /** By repository, then tag. */
  tags: ManifestTagV1[];
}

export const UNTAG_MANIFEST_V1 = 'metadata.manifest.untag.v1' as const;
/** Removes an artifact tag of a repository (the manifest stays, by digest). */
export class UntagManifestV1 {
  @IsString() @IsNotEmpty() @MaxLength(255) repository!: string;
  @IsString() @Matches(TAG_RE) tag!: string;
}
export interface UntagManifestResultV1 {
  removed: boolean;
}
