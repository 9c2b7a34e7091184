import { Type } from 'class-transformer';
import {
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
import type { ImageRecord } from './image-record';

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
/**
 * Records an image whose blobs are all committed, and points `tag` (a fully qualified
 * `name:tag`) and `repoDigest` (`name@digest`) at it, moving the tag off any other image.
 */
export class RecordImageV1 {
  @IsDigest() id!: string;
  @IsDefined() @ValidateNested() @Type(() => ManifestRecordDto) manifest!: ManifestRecordDto;
  @IsString() configJson!: string;
  @IsOptional() @IsString() tag?: string;
  @IsOptional() @IsString() repoDigest?: string;
}
export interface RecordImageResultV1 {
  image: ImageRecord;
  /** True when the image or the tag's target changed ("Downloaded newer image"). */
  changed: boolean;
  /** The image `tag` pointed at before, when it was another one (Docker's "renaming the old one"). */
  previousImageId?: string;
}

export const LIST_IMAGES_V1 = 'metadata.image.list.v1' as const;
/** Lists images; filters are applied by the caller's use-case. */
export class ListImagesV1 {}
export interface ImageListV1 {
  images: ImageRecord[];
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
}
export interface RemoveImageResultV1 {
  items: ({ Untagged: string } | { Deleted: string })[];
  /** Blobs no image refers to any more: candidates for `blobstore.blobs.collect.v1`. */
  releasedBlobs: string[];
}
