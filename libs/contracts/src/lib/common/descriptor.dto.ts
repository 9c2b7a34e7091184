import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { IsDigest } from './validators';

/** PlatformDto is an OCI platform as it travels in messages. */
export class PlatformDto {
  @IsString() os!: string;
  @IsString() architecture!: string;
  @IsOptional() @IsString() variant?: string;
}

/** DescriptorDto names content by media type, digest and size — never carries its bytes. */
export class DescriptorDto {
  @IsString() mediaType!: string;
  @IsDigest() digest!: string;
  @IsInt() @Min(0) size!: number;
  @IsOptional() @ValidateNested() @Type(() => PlatformDto) platform?: PlatformDto;
  @IsOptional() @IsObject() annotations?: Record<string, string>;
}
