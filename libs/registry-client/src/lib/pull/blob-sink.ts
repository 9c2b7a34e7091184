import { createReadStream } from 'node:fs';
import { FileHandle, open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * BlobSink is where {@link RegistryClient.copyBlob} writes a blob. The client writes chunks in order
 * at increasing offsets, and tells the sink when bytes must go:
 * - `offset`: bytes the sink already holds from an earlier attempt; the download resumes there;
 * - `replay()`: yields those bytes so they are hashed again (without it a non-zero offset restarts at 0);
 * - `write(chunk)`: append the next chunk (awaited — this is the backpressure);
 * - `truncate(offset)`: drop everything from `offset` on (0 = start over; used when a registry refuses a range);
 * - `discard()`: verification failed — throw everything away; the client then throws DIGEST_MISMATCH;
 * - `commit()`, when the sink has it, makes the sink the blob's one verifier (see below).
 */
export interface BlobSink {
  readonly offset?: number;
  replay?(): AsyncIterable<Uint8Array>;
  write(chunk: Uint8Array): Promise<void>;
  truncate(offset: number): Promise<void>;
  discard(): Promise<void>;
  /**
   * A sink with `commit` hashes every byte it is given (those it held before too) and checks the
   * digest and size as it commits, throwing DIGEST_MISMATCH after throwing the bytes away — a blob
   * store's ingest. The client then only counts bytes (one hash per byte, not two), trusts `offset`
   * without a replay, and calls `commit` after the last byte: a copy that resolves is committed.
   */
  commit?(): Promise<void>;
}

/**
 * FileBlobSink is a {@link BlobSink} over one file: it appends, truncates in place, replays the file
 * for resumption, and deletes the file on `discard`. Call `close()` when done.
 */
export class FileBlobSink implements BlobSink {
  private position: number;

  private constructor(
    readonly path: string,
    private handle: FileHandle | undefined,
    size: number,
  ) {
    this.position = size;
  }

  /** FileBlobSink.open opens (or creates) `path`, resuming after whatever it already holds. */
  static async open(path: string): Promise<FileBlobSink> {
    // 'r+' keeps positional writes positional ('a' would force appends); create the file if missing.
    const handle = await open(path, 'r+').catch((error: { code?: string }) => {
      if (error.code === 'ENOENT') return open(path, 'w+');
      throw error;
    });
    const { size } = await handle.stat();
    return new FileBlobSink(path, handle, size);
  }

  get offset(): number {
    return this.position;
  }

  replay(): AsyncIterable<Uint8Array> {
    if (this.position === 0) return Readable.from([]);
    return createReadStream(this.path, { start: 0, end: Math.max(0, this.position - 1) });
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.file().write(chunk, 0, chunk.byteLength, this.position);
    this.position += chunk.byteLength;
  }

  async truncate(offset: number): Promise<void> {
    await this.file().truncate(offset);
    this.position = offset;
  }

  async discard(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
    this.position = 0;
  }

  /** close flushes nothing extra (writes are direct) and releases the file handle; idempotent. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private file(): FileHandle {
    if (!this.handle) throw new Error(`blob sink ${this.path} is closed`);
    return this.handle;
  }
}
