import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DescriptorDto } from '../common/descriptor.dto';

export const FETCH_BLOBS_V1 = 'fetcher.blobs.fetch.v1' as const;
/**
 * Fetches the blobs of one image from its registry into the blob store, streaming a
 * {@link BlobProgressV1} for every state change and byte count, then completing.
 */
export class FetchBlobsV1 {
  /** Fully qualified reference; its domain and path say where to fetch from. */
  @IsString() reference!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DescriptorDto) blobs!: DescriptorDto[];
  /** The Engine API's `X-Registry-Auth` value. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
}

/** States a blob goes through in a pull, in order (`exists` replaces all of them). */
export type BlobState = 'queued' | 'exists' | 'downloading' | 'verifying' | 'done';

export interface BlobProgressV1 {
  digest: string;
  state: BlobState;
  /** Bytes received so far (downloading), or the blob's size (done/exists). */
  current: number;
  total: number;
}
