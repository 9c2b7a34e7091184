import { createReadStream } from 'node:fs';
import { FileHandle, open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobRef, FollowOptions } from '@stevedore/blob-port';
import { DomainError } from '@stevedore/domain';
import { isNotFound } from './fs-util';
import type { StoreLayout } from './layout';

/** The most read (and buffered) at a time, as a committed blob's reads. */
const CHUNK_BYTES = 1024 * 1024;
/** How often a follower that caught up with the writer looks for more bytes. */
const POLL_MS = 10;
/** How often the follower of a complete ingest looks whether it was committed (its last bytes wait). */
const COMMIT_POLL_MS = 2;
const DEFAULT_IDLE_MS = 120_000;

/**
 * followIngest opens a blob being ingested into the store at `layout` (see BlobReader.follow).
 * It tails the ingest's data file, which the writer only appends to, by its file handle: the
 * commit renames that very file into the blobs directory, so the handle reads on to the end
 * whichever process writes and commits. The follower does not hash the bytes again: the ingest
 * verifies them, and the last bytes wait for its commit. A different file at the ingest's path
 * (the ingest was discarded, failed its verification, or started over at byte 0) ends the follow
 * with an error.
 */
export async function followIngest(
  layout: StoreLayout,
  blob: BlobRef,
  options: FollowOptions = {},
): Promise<Readable> {
  const start = startOf(blob, options.offset);
  const committed = await committedSize(layout, blob);
  if (committed !== undefined) return readCommitted(layout, blob, start);
  let file: FileHandle;
  try {
    file = await open(layout.ingestDataPath(blob.digest), 'r');
  } catch (err) {
    if (!isNotFound(err)) throw err;
    // Committed between the two looks: the ingest's file is the blob now.
    if ((await committedSize(layout, blob)) !== undefined)
      return readCommitted(layout, blob, start);
    throw DomainError.notFound(`neither blob ${blob.digest} nor its ingest is in the store`);
  }
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  return streamOf(tailIngest(layout, blob, file, { start, idleMs, signal }), () =>
    controller.abort(new Error('follower destroyed')),
  );
}

/** startOf checks a follow's offset: a byte of the blob (0 for an empty one). */
function startOf(blob: BlobRef, offset = 0): number {
  if (!Number.isSafeInteger(offset) || offset < 0 || (offset > 0 && offset >= blob.size))
    throw DomainError.invalidArgument(
      `offset ${offset} is not a byte of blob ${blob.digest} (${blob.size} bytes)`,
    );
  return offset;
}

/**
 * streamOf is Readable.from for a generator that waits between chunks: destroying the stream
 * calls `stop` at once. (Readable.from finishes destroying only when the generator next yields,
 * so a follower destroyed while it waits for bytes would hold its reader until the idle limit.)
 */
function streamOf(chunks: AsyncGenerator<Buffer>, stop: () => void): Readable {
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      chunks.next().then(
        (next) => this.push(next.done ? null : next.value),
        (err: unknown) => this.destroy(err as Error),
      );
    },
    destroy(err, callback) {
      stop();
      callback(err);
    },
  });
}

interface Tail {
  /** The first byte to give. */
  start: number;
  idleMs: number;
  signal: AbortSignal;
}

async function* tailIngest(
  layout: StoreLayout,
  blob: BlobRef,
  file: FileHandle,
  { start, idleMs, signal }: Tail,
): AsyncGenerator<Buffer> {
  try {
    const { ino } = await file.stat();
    let offset = start;
    let held = 0;
    let idleSince = Date.now();
    let waited = false;
    while (offset < blob.size) {
      signal.throwIfAborted();
      const looked = await heldBytes(file, blob, offset, held, offset > start ? offset : 0);
      // The writer moving on is life too, also while it has not reached `start` yet.
      if (looked > held) idleSince = Date.now();
      held = looked;
      // Less than a chunk: wait one poll for more, so a reader close behind the writer reads a
      // few large chunks rather than one per write (each a buffer, a read, a socket write).
      if (held > offset && held - offset < Math.min(CHUNK_BYTES, blob.size - offset) && !waited) {
        waited = true;
        await sleep(POLL_MS, undefined, { signal });
        continue;
      }
      waited = false;
      if (held > offset) {
        const chunk = await readAt(file, offset, Math.min(held, blob.size));
        // A short read: what the last look saw is not all there any more, look again.
        if (chunk.length < Math.min(CHUNK_BYTES, held - offset)) held = offset;
        offset += chunk.length;
        // The last bytes leave only once the writer verified the whole blob and committed it.
        if (offset === blob.size) await committedAs(layout, blob, ino, { idleMs, signal });
        idleSince = Date.now();
        yield chunk;
        continue;
      }
      await stillFollowing(layout, blob, ino, idleSince, idleMs);
      await sleep(POLL_MS, undefined, { signal });
    }
  } finally {
    await file.close();
  }
}

/** stillFollowing fails a follow whose ingest was replaced, or stood still for `idleMs`. */
async function stillFollowing(
  layout: StoreLayout,
  blob: BlobRef,
  ino: number,
  idleSince: number,
  idleMs: number,
): Promise<void> {
  if (!(await ingestIs(layout, blob, ino))) throw startedOver(blob);
  if (Date.now() - idleSince > idleMs)
    throw new DomainError('UNAVAILABLE', `the ingest of ${blob.digest} stood still`);
}

/**
 * heldBytes tells how far the ingest's file goes, looking again (an fstat) only when the last look
 * saw less than a chunk ahead of `offset`: a reader behind the writer reads on without one. A file
 * shorter than the `read` bytes already read from it was started over.
 */
async function heldBytes(
  file: FileHandle,
  blob: BlobRef,
  offset: number,
  seen: number,
  read: number,
) {
  if (seen - offset >= Math.min(CHUNK_BYTES, blob.size - offset)) return seen;
  const { size } = await file.stat();
  if (size < read) throw startedOver(blob);
  return size;
}

/**
 * committedAs waits until the followed file was committed as the blob: the ingest verifies size
 * and digest before it renames its file into the blobs directory. A commit that fails discards
 * or keeps the ingest; either way its file is not the blob, and the follow fails.
 */
async function committedAs(
  layout: StoreLayout,
  blob: BlobRef,
  ino: number,
  { idleMs, signal }: { idleMs: number; signal: AbortSignal },
) {
  for (const deadline = Date.now() + idleMs; ;) {
    signal.throwIfAborted();
    if (Date.now() > deadline)
      throw new DomainError('UNAVAILABLE', `the ingest of ${blob.digest} was never committed`);
    if ((await inodeOf(layout.blobPath(blob.digest))) === ino) return;
    // Checked after the blob: the commit's rename moves the file from one path to the other.
    if (!(await ingestIs(layout, blob, ino))) {
      if ((await inodeOf(layout.blobPath(blob.digest))) === ino) return;
      throw startedOver(blob);
    }
    await sleep(COMMIT_POLL_MS, undefined, { signal });
  }
}

async function readAt(file: FileHandle, from: number, upTo: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, upTo - from));
  const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
  return buffer.subarray(0, bytesRead);
}

/** ingestIs tells whether the ingest's data file is still the one being followed. */
async function ingestIs(layout: StoreLayout, blob: BlobRef, ino: number): Promise<boolean> {
  return (await inodeOf(layout.ingestDataPath(blob.digest))) === ino;
}

async function inodeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function startedOver(blob: BlobRef): DomainError {
  return new DomainError('UNAVAILABLE', `the ingest of ${blob.digest} was discarded or restarted`);
}

async function committedSize(layout: StoreLayout, blob: BlobRef): Promise<number | undefined> {
  try {
    const { size } = await stat(layout.blobPath(blob.digest));
    if (size !== blob.size)
      throw DomainError.digestMismatch(`blob ${blob.digest} is ${size} bytes, not ${blob.size}`);
    return size;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function readCommitted(layout: StoreLayout, blob: BlobRef, start: number): Readable {
  return createReadStream(layout.blobPath(blob.digest), { start, highWaterMark: CHUNK_BYTES });
}
