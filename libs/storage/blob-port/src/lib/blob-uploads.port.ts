import type { BlobInfo } from './blob-store.port';
import type { Digest } from '@stevedore/domain';

/**
 * BlobUploads keeps uploads whose digest is known only at their end: the registry's push
 * sessions (`POST /v2/<name>/blobs/uploads/`, `PATCH`, `PUT ?digest=`). They live beside the blob
 * store, on its disk, so an upload outlives the gateway that started it and any replica can
 * continue it; the bytes become a blob only through `commit`, which verifies the digest.
 */
export interface BlobUploads {
  /** Starts an empty upload and returns its id (a random UUID). */
  start(): Promise<string>;
  /** How many bytes the upload holds; NOT_FOUND when there is no such upload. */
  status(id: string): Promise<number>;
  /**
   * Appends `source` at `offset`, which must be where the upload stands (CONFLICT otherwise, with
   * `details.offset`); durable once it returns the new size. A source that fails keeps what arrived.
   */
  append(id: string, offset: number, source: AsyncIterable<Uint8Array>): Promise<number>;
  /** Verifies the whole upload against `digest` and commits it as a blob (DIGEST_MISMATCH otherwise). */
  commit(id: string, digest: Digest): Promise<BlobInfo>;
  /** Discards the upload. */
  abort(id: string): Promise<void>;
}

/** Injection token of the {@link BlobUploads} port. */
export const BLOB_UPLOADS = Symbol('BLOB_UPLOADS');

/** UPLOAD_ID_RE is the shape of an upload id (a UUID), checked before it names a file or a path. */
export const UPLOAD_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
