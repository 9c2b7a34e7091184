import type { DescriptorDto } from '@stevedore/contracts';
import type { Reference } from '@stevedore/domain';

/** FetchBlobsCommand asks for the blobs of one image, from the registry its reference names. */
export interface FetchBlobsCommand {
  reference: Reference;
  blobs: readonly DescriptorDto[];
  /** The Engine API's `X-Registry-Auth` value. Secret: never log it. */
  registryAuth?: string;
  /** Aborts when whoever asked is gone: no new blob starts, and downloads nobody else wants stop. */
  signal?: AbortSignal;
}
