import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_BATCH_ITEMS } from '@stevedore/contracts';

const PLATFORM = /^[a-z0-9_.-]+\/[a-z0-9_.-]+(\/[a-z0-9_.-]+)?$/i;

/** Which tags of a repository a sync spec takes: globs (`*`, `?`, `[...]`) to include and exclude. */
export class TagSelectionDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  include?: string[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  exclude?: string[];
  @IsOptional() @IsString() @MaxLength(256) semver?: string;
}

/**
 * Body of `POST /api/v1/batches`: either a list of images (each tag, or every tag with `allTags`),
 * or a sync spec naming one repository of one registry and the tags to take.
 */
export class BatchRequestDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  images?: string[];
  @IsOptional() @IsBoolean() allTags?: boolean;
  @IsOptional() @IsString() @MaxLength(255) registry?: string;
  @IsOptional() @IsString() @MaxLength(255) repository?: string;
  @IsOptional() @ValidateNested() @Type(() => TagSelectionDto) tags?: TagSelectionDto;
  @IsOptional()
  @IsString()
  @Matches(PLATFORM, { message: 'platform must be os/arch[/variant]' })
  platform?: string;
}
