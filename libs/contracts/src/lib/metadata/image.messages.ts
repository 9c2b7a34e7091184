import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { DescriptorDto, PlatformDto } from '../common/descriptor.dto';
import { IsDigest } from '../common/validators';
import type { Reference } from '@stevedore/domain';
import type { ResolvedImageV1 } from '../resolver/resolve.messages';
import type { ImageRecord, ImageSummaryRecord } from './image-record';

export class ManifestRecordDto {
  @IsDigest() digest!: string;
  @IsString() mediaType!: string;
  @IsInt() @Min(0) size!: number;
  @IsOptional() @IsDigest() indexDigest?: string;
  @IsDefined() @ValidateNested() @Type(() => PlatformDto) platform!: PlatformDto;
  @IsDefined() @ValidateNested() @Type(() => DescriptorDto) config!: DescriptorDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DescriptorDto) layers!: DescriptorDto[];
}

export const RECORD_IMAGE_V1 = 'metadata.image.record.v1' as const;
/** The most tags one record may carry (an archive gives at most this many names). */
export const MAX_RECORDED_TAGS = 1000;
/**
 * Records an image whose blobs are all committed, and points `tag` (a fully qualified
 * `name:tag`) and `repoDigest` (`name@digest`) at it, moving the tag off any other image.
 */
export class RecordImageV1 {
  @IsDigest() id!: string;
  @IsDefined() @ValidateNested() @Type(() => ManifestRecordDto) manifest!: ManifestRecordDto;
  @IsString() configJson!: string;
  @IsOptional() @IsString() tag?: string;
  /**
   * More `name:tag`s (a load's names), all pointed at the image in the same change: one message
   * and one transaction for an archive's tags, however many (at most {@link MAX_RECORDED_TAGS}).
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RECORDED_TAGS)
  @IsString({ each: true })
  tags?: string[];
  @IsOptional() @IsString() repoDigest?: string;
}
/** One tag of {@link RecordImageV1.tags} as recorded: fully qualified, and the image it moved off. */
export interface RecordedTagV1 {
  tag: string;
  previousImageId?: string;
}
export interface RecordImageResultV1 {
  image: ImageRecord;
  /** True when the image or the tag's target changed ("Downloaded newer image"). */
  changed: boolean;
  /** The image `tag` pointed at before, when it was another one (Docker's "renaming the old one"). */
  previousImageId?: string;
  /** What each of `tags` did, in order. */
  tags?: RecordedTagV1[];
}

export const RECORD_PRESENT_IMAGE_V1 = 'metadata.image.record-present.v1' as const;
/**
 * Points `tag` and `repoDigest` at image `id` as {@link RecordImageV1} does, but only when the
 * image is stored with this very manifest (and index) already; otherwise changes nothing and
 * answers `present: false`. A pull of an image already present records through it without
 * downloading, holding or reading anything, as dockerd skips a pull whose config it has.
 */
export class RecordPresentImageV1 {
  @IsDigest() id!: string;
  @IsDefined() @ValidateNested() @Type(() => ManifestRecordDto) manifest!: ManifestRecordDto;
  @IsOptional() @IsString() tag?: string;
  @IsOptional() @IsString() repoDigest?: string;
}
export type RecordPresentImageResultV1 =
  ({ present: true } & RecordImageResultV1) | { present: false };

/**
 * recordPresentRequest is what a pull of `ref` that resolved to `resolved` asks metadata to record:
 * the image, tagged `name:tag` unless it was pulled by digest, reachable as `name@<top digest>`.
 */
export function recordPresentRequest(
  ref: Reference,
  resolved: ResolvedImageV1,
): RecordPresentImageV1 {
  return {
    id: resolved.manifest.config.digest,
    manifest: resolved.manifest,
    ...(ref.digest ? {} : { tag: `${ref.name}:${ref.tag ?? 'latest'}` }),
    repoDigest: `${ref.name}@${resolved.topDigest}`,
  };
}

export const LIST_IMAGES_V1 = 'metadata.image.list.v1' as const;
/** Lists images; filters are applied by the caller's use-case. */
export class ListImagesV1 {}
export interface ImageListV1 {
  images: ImageRecord[];
}

export const LIST_IMAGE_SUMMARIES_V1 = 'metadata.image.summaries.v1' as const;
/**
 * Lists every image's summary columns only, newest first: what `GET /images/json` needs, a small
 * fraction of the full records (no manifests or config JSON cross the bus).
 */
export class ListImageSummariesV1 {
  /**
   * The `version` of a listing the caller still holds: if nothing changed since, the answer is
   * `unchanged` with no images (a conditional request, as an HTTP `If-None-Match`).
   */
  @IsOptional() @IsString() knownVersion?: string;
}
export interface ImageSummaryListV1 {
  /** Empty when `unchanged`. */
  images: ImageSummaryRecord[];
  /** Names this state of the listing (absent when the store cannot tell one from another). */
  version?: string;
  /** True when `knownVersion` is still current: the caller's copy is the listing. */
  unchanged?: boolean;
  /**
   * Set (to `knownVersion`) when the answer is the changes since that version rather than the
   * listing: `images` are the images added or changed since (in no order), `removed` the ids gone.
   */
  since?: string;
  /** With `since`: the ids of the images removed since. */
  removed?: string[];
}

export const GET_IMAGE_V1 = 'metadata.image.get.v1' as const;
/** Finds one image by ID, ID prefix, `name:tag` or `name@digest` (Docker's lookup order). */
export class GetImageV1 {
  @IsString() ref!: string;
}

export const TAG_IMAGE_V1 = 'metadata.image.tag.v1' as const;
/** Points a fully qualified `name:tag` at image `id`. */
export class TagImageV1 {
  @IsDigest() id!: string;
  @IsString() tag!: string;
}

export const REMOVE_IMAGE_V1 = 'metadata.image.remove.v1' as const;
/** Docker's rmi: untag a reference, or delete an image when its last reference goes. */
export class RemoveImageV1 {
  @IsString() ref!: string;
  @IsOptional() @IsBoolean() force?: boolean;
  /**
   * By name: untag only, keeping the image even when its last reference goes — a container uses
   * it (Docker's rmi of a name an in-use image carries, with `-f` or other names left).
   */
  @IsOptional() @IsBoolean() keepImage?: boolean;
}
export interface RemoveImageResultV1 {
  items: ({ Untagged: string } | { Deleted: string })[];
  /** Blobs no image refers to any more: candidates for `blobstore.blobs.collect.v1`. */
  releasedBlobs: string[];
}
