import { ArrayMinSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/*
 * The exporter's archive operations. They do not cross the bus: each travels beside a stream (the
 * archive coming in, the tar going out) to the exporter's internal HTTP endpoint in the cluster
 * (`@stevedore/exporter-http`), or as a direct call in the embedded topology.
 */

/** Loads a `docker load` archive (the stream beside it) into the store and records its images. */
export class LoadArchiveV1 {
  /** `os/arch[/variant]`: the platform to load from a multi-platform archive. */
  @IsOptional() @IsString() @MaxLength(255) platform?: string;
}

/** One tag a load pointed at an image, and the image it moved off (Docker's "renaming the old one"). */
export interface LoadedTagV1 {
  /** Fully qualified `name:tag`. */
  tag: string;
  previousImageId?: string;
}

/** What a load stored: each image (ID = config digest) with the tags it got, in archive order. */
export interface LoadResultV1 {
  images: { id: string; tags: LoadedTagV1[] }[];
}

/** `docker import`: a root filesystem tar (the stream beside it, or a URL) becomes a one-layer image. */
export class ImportRootfsV1 {
  /** `-` for the stream beside the request, else a URL on the exporter's import allow-list. */
  @IsString() @MinLength(1) @MaxLength(8192) fromSrc!: string;
  /** `name[:tag]` to record the image under. */
  @IsOptional() @IsString() @MaxLength(4096) repo?: string;
  @IsOptional() @IsString() @MaxLength(128) tag?: string;
  /** The commit message (config `comment` and history). */
  @IsOptional() @IsString() @MaxLength(65_536) message?: string;
  /** Dockerfile instructions applied to the config (`--change`). */
  @IsArray() @IsString({ each: true }) changes!: string[];
  /** `os/arch[/variant]` of the image; the host's by default. */
  @IsOptional() @IsString() @MaxLength(255) platform?: string;
}

/** What an import stored: the image ID. */
export interface ImportResultV1 {
  id: string;
}

/** `docker save`: one tar (docker-save and OCI layout) of every named image. */
export class SaveArchiveV1 {
  /** IDs, ID prefixes, `name[:tag]` or `name@digest`, as `docker save` takes them. */
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) names!: string[];
  /** `os/arch[/variant]`: save the manifest of this platform. */
  @IsOptional() @IsString() @MaxLength(255) platform?: string;
}
