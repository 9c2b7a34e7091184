import type { BlobInfo } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';
import { errorFromResponse as errorFrom } from '@stevedore/internal-http';

/**
 * The blob store's internal HTTP protocol (cluster topology; embedded mode calls the store
 * directly). All paths are relative to the blobstore's internal base URL:
 *
 *   HEAD   /blobs/<digest>                    200 + Content-Length, or 404
 *   GET    /blobs/<digest>   [Range: bytes=]  200 / 206 stream, 404, 416
 *   GET    /blobs/<digest>?size=N&follow=1    200 stream of a blob while it is being ingested (see
 *          [&offset=M]                       BlobReader.follow) from byte M (default 0): Content-Length
 *                                            N-M, a body cut short when the ingest fails; 404 without
 *                                            blob or ingest; 400 for an M that is not a byte of it
 *   PUT    /blobs/<digest>?size=N&offset=M    body = bytes M..N-1; 201 {digest,size} once verified
 *                                            and committed; 409 + Stevedore-Ingest-Offset when the
 *                                            ingest stands elsewhere; an interrupted body keeps its bytes
 *   HEAD   /ingests/<digest>?size=N           200 + Stevedore-Ingest-Offset (0 when none)
 *   DELETE /ingests/<digest>?size=N           discards a partial ingest
 *   DELETE /blobs/<digest>                    200 {deleted}
 *   GET    /usage                             200 {blobs, bytes}
 *   GET    /blobs                             200 newline-delimited {digest,size}
 *   POST   /uploads                           201 {id}: a push session whose digest comes last
 *   HEAD   /uploads/<id>                      200 + Stevedore-Ingest-Offset, or 404
 *   PATCH  /uploads/<id>?offset=M             body appended at M; 202 + Stevedore-Ingest-Offset,
 *                                            409 + Stevedore-Ingest-Offset when it stands elsewhere
 *   PUT    /uploads/<id>?digest=D             201 {digest,size} once verified and committed
 *   DELETE /uploads/<id>                      204
 *
 * Errors are `{code, message}` JSON with the status of `@stevedore/internal-http`'s map.
 */
export const OFFSET_HEADER = 'stevedore-ingest-offset';

export { bodyOf, statusOf } from '@stevedore/internal-http';

/** BLOB_STORE_PEER is how errors name the blobstore service (`blob store unavailable, retry later`). */
export const BLOB_STORE_PEER = 'blob store';

/** Rebuilds the DomainError a blob store response carried. */
export function errorFromResponse(status: number, body: string): DomainError {
  return errorFrom(status, body, BLOB_STORE_PEER);
}

/** Parses `bytes=a-b` / `bytes=a-` (one range only). */
export function parseRange(
  header: string | undefined,
): { start: number; end?: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!match?.[1]) throw DomainError.invalidArgument(`unsupported range ${header}`);
  const start = Number(match[1]);
  return match[2] ? { start, end: Number(match[2]) } : { start };
}

/** The `size` query parameter: a non-negative safe integer. */
export function sizeParam(url: URL, name = 'size'): number {
  const raw = url.searchParams.get(name);
  const value = raw === null || raw === '' ? NaN : Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw DomainError.invalidArgument(`query parameter ${name} must be a byte count`);
  return value;
}

/** WireBlobInfo is BlobInfo as JSON carries it. */
export interface WireBlobInfo {
  digest: string;
  size: number;
}

/** blobInfo parses a BlobInfo from the wire. */
export function blobInfo(wire: WireBlobInfo): BlobInfo {
  return { digest: Digest.parse(wire.digest), size: wire.size };
}
