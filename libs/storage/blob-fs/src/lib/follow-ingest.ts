import { createReadStream } from 'node:fs';
import { FileHandle, open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobRef, FollowOptions } from '@stevedore/blob-port';
import { DomainError } from '@stevedore/domain';
import { isNotFound } from './fs-util';
import type { IngestTap } from './ingest-tap';
import type { StoreLayout } from './layout';

/** The most read (and buffered) at a time, as a committed blob's reads. */
const CHUNK_BYTES = 1024 * 1024;
/** How often a follower that caught up with the writer looks for more bytes. */
const POLL_MS = 10;
/** How often the follower of a complete ingest looks whether it was committed (its last bytes wait). */
const COMMIT_POLL_MS = 2;
/** How long a follower waits on its tap for the commit before it looks again. */
const COMMIT_WAIT_MS = 1000;
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
  tapOf: () => IngestTap | undefined = () => undefined,
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
  return streamOf(tailIngest({ layout, blob, file, start, idleMs, signal }, tapOf), () =>
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

/** What a follow reads: the ingest's file, opened, and how long it may stand still. */
interface Tail {
  layout: StoreLayout;
  blob: BlobRef;
  file: FileHandle;
  /** The first byte to give. */
  start: number;
  idleMs: number;
  signal: AbortSignal;
}

/**
 * tailIngest follows the open file. When the ingest is written by this process (its tap is
 * there, for this very file), the follower joins the tap and takes the bytes from memory while it
 * keeps up, and learns of the commit from it.
 */
async function* tailIngest(tail: Tail, tapOf: () => IngestTap | undefined): AsyncGenerator<Buffer> {
  try {
    const { ino } = await tail.file.stat();
    const found = tapOf();
    const tap = found?.ino === ino ? found : undefined;
    const leave = tap?.join();
    try {
      yield* readOn(tail, ino, tap);
    } finally {
      leave?.();
    }
  } finally {
    await tail.file.close();
  }
}

async function* readOn(tail: Tail, ino: number, tap?: IngestTap): AsyncGenerator<Buffer> {
  const cursor = new Cursor(tail, ino, tap);
  while (cursor.offset < tail.blob.size) {
    tail.signal.throwIfAborted();
    if (tap?.outcome === 'failed') throw startedOver(tail.blob);
    const chunk = await cursor.next();
    if (!chunk) continue;
    // The last bytes leave only once the writer verified the whole blob (and, seen from another
    // process, committed it).
    if (cursor.offset === tail.blob.size) await committed(tail, ino, tap);
    yield chunk;
  }
}

/** Cursor is where a follower stands, and reads on from there: from the tap, else the file. */
class Cursor {
  offset: number;
  private idleSince = Date.now();
  private waited = false;
  private held = 0;

  constructor(
    private readonly tail: Tail,
    private readonly ino: number,
    private readonly tap?: IngestTap,
  ) {
    this.offset = tail.start;
  }

  /** next reads the next chunk, or answers undefined after waiting for more. */
  async next(): Promise<Buffer | undefined> {
    const kept = this.tap?.bytesAt(this.offset);
    const chunk = kept === undefined ? await this.fromFile() : await this.fromTap(kept);
    if (chunk) {
      this.waited = false;
      this.offset += chunk.length;
      this.idleSince = Date.now();
    }
    return chunk;
  }

  private async fromTap(kept: Buffer): Promise<Buffer | undefined> {
    const caughtUp = this.offset + kept.length === this.tap?.end;
    if (kept.length > 0 && !(caughtUp && this.short(kept.length))) return kept;
    if (kept.length === 0) this.checkIdle();
    this.waited = true;
    await this.tap?.changed(POLL_MS, this.tail.signal);
    return undefined;
  }

  private async fromFile(): Promise<Buffer | undefined> {
    const { layout, blob, file, signal } = this.tail;
    const read = this.offset > this.tail.start ? this.offset : 0;
    const looked = await heldBytes(file, blob, this.offset, this.held, read);
    // The writer moving on is life too, also while it has not reached `start` yet.
    if (looked > this.held) this.idleSince = Date.now();
    this.held = looked;
    if (this.held > this.offset && !this.short(this.held - this.offset)) {
      const chunk = await readAt(file, this.offset, Math.min(this.held, blob.size));
      // A short read: what the last look saw is not all there any more, look again.
      if (chunk.length < Math.min(CHUNK_BYTES, this.held - this.offset)) this.held = this.offset;
      return chunk;
    }
    if (this.held <= this.offset) {
      if (!(await ingestIs(layout, blob, this.ino))) throw startedOver(blob);
      this.checkIdle();
    }
    this.waited = true;
    await sleep(POLL_MS, undefined, { signal });
    return undefined;
  }

  /**
   * short tells whether `available` bytes are less than a chunk, the first time: a reader close
   * behind the writer then waits one poll for more, so it reads a few large chunks rather than
   * one per write (each a buffer, a read, a socket write).
   */
  private short(available: number): boolean {
    return !this.waited && available < Math.min(CHUNK_BYTES, this.tail.blob.size - this.offset);
  }

  private checkIdle(): void {
    if (Date.now() - this.idleSince > this.tail.idleMs) throw stoodStill(this.tail.blob);
  }
}

/**
 * committed waits for the commit of the followed ingest: from its tap, when this process writes
 * it and does not give up on it (there, for its verification only: the bytes are right before the
 * fsync that makes them durable); otherwise by looking at the files.
 */
async function committed(tail: Tail, ino: number, tap?: IngestTap): Promise<void> {
  const { blob, idleMs, signal } = tail;
  for (const deadline = Date.now() + idleMs; tap?.outcome === 'open';) {
    if (Date.now() > deadline) throw neverCommitted(blob);
    await tap.changed(COMMIT_WAIT_MS, signal);
  }
  if (tap?.verified) return;
  if (tap?.outcome === 'failed') throw startedOver(blob);
  await committedAs(tail.layout, blob, ino, { idleMs, signal });
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
    if (Date.now() > deadline) throw neverCommitted(blob);
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

function stoodStill(blob: BlobRef): DomainError {
  return new DomainError('UNAVAILABLE', `the ingest of ${blob.digest} stood still`);
}

function neverCommitted(blob: BlobRef): DomainError {
  return new DomainError('UNAVAILABLE', `the ingest of ${blob.digest} was never committed`);
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
