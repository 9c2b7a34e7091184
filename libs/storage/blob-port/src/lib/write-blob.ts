import { isDomainError } from '@stevedore/domain';
import type { BlobInfo, BlobRef, BlobWriter, Ingest } from './blob-store.port';
import { OpenIngestOptions, openIngest } from './open-ingest';

/** A source of a blob's bytes that can start at any offset (a file, a range request, a buffer). */
export type BlobSource = (offset: number) => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** What {@link writeBlob} did: the committed blob, and whether this call wrote it. */
export interface WrittenBlob {
  readonly info: BlobInfo;
  readonly written: boolean;
}

/**
 * writeBlob stores one whole blob: it opens the ingest (waiting out another writer), treats a blob
 * that is already there as done, copies the rest of `source` from the ingest's offset and commits
 * — containerd's `WriteBlob`. A wrong digest or size throws DIGEST_MISMATCH and stores nothing.
 */
export async function writeBlob(
  store: BlobWriter,
  blob: BlobRef,
  source: BlobSource | Uint8Array,
  options: OpenIngestOptions = {},
): Promise<WrittenBlob> {
  const from = source instanceof Uint8Array ? bytesFrom(source) : source;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await writeOnce(store, blob, from, options);
    } catch (err) {
      // The ingest stood elsewhere by the time it committed: over HTTP, a blob found present can
      // be collected before the commit confirms it. Opening again sees where it stands now.
      if (attempt >= WRITE_ATTEMPTS || !isDomainError(err) || err.code !== 'CONFLICT') throw err;
    }
  }
}

const WRITE_ATTEMPTS = 3;

async function writeOnce(
  store: BlobWriter,
  blob: BlobRef,
  from: BlobSource,
  options: OpenIngestOptions,
): Promise<WrittenBlob> {
  const ingest = await openIngest(store, blob, options);
  if (ingest.offset === blob.size) return { info: await ingest.commit(), written: false };
  return { info: await copyInto(ingest, from), written: true };
}

/**
 * copyInto copies `source` into `ingest` from the ingest's offset and commits it — containerd's
 * `Copy`. A failure keeps the bytes written so far for a later resume, except a verification
 * failure, which the ingest has already discarded.
 */
export async function copyInto(ingest: Ingest, source: BlobSource): Promise<BlobInfo> {
  try {
    for await (const chunk of source(ingest.offset)) await ingest.write(chunk);
    return await ingest.commit();
  } catch (err) {
    await ingest.close().catch(() => undefined);
    throw err;
  }
}

/** bytesFrom is a {@link BlobSource} over bytes in memory (small documents: configs, manifests). */
export function bytesFrom(bytes: Uint8Array): BlobSource {
  return (offset) => (offset >= bytes.byteLength ? [] : [bytes.subarray(offset)]);
}

/**
 * skipTo is a {@link BlobSource} over a stream that can only be read from its start: it discards
 * the bytes before the offset (the ingest's commit still verifies the whole blob).
 */
export function skipTo(stream: AsyncIterable<Uint8Array>): BlobSource {
  return (offset) => skipping(stream, offset);
}

async function* skipping(
  stream: AsyncIterable<Uint8Array>,
  offset: number,
): AsyncIterable<Uint8Array> {
  let skip = offset;
  for await (const chunk of stream) {
    if (skip >= chunk.byteLength) {
      skip -= chunk.byteLength;
      continue;
    }
    yield skip > 0 ? chunk.subarray(skip) : chunk;
    skip = 0;
  }
}
