import type { Readable, Writable } from 'node:stream';
import type { Descriptor, Digest } from '@stevedore/domain';

/** BlobInfo is what the store knows of a committed blob. */
export interface BlobInfo {
  readonly digest: Digest;
  readonly size: number;
}

/** BlobRef names the blob an ingest must produce: the digest and size of its descriptor. */
export type BlobRef = Pick<Descriptor, 'digest' | 'size'>;

/** ByteRange is an inclusive start and an optional inclusive end, as in HTTP `Range`. */
export interface ByteRange {
  start: number;
  end?: number;
}

/**
 * BlobSend writes an opened blob into a Writable, and resolves once the Writable called back for
 * every byte (see {@link BlobReader.openSend}).
 */
export type BlobSend = (out: Writable) => Promise<void>;

/**
 * Ingest is one blob being written. Bytes are appended at `offset`; `commit` verifies size
 * and digest and makes the blob visible atomically; an interrupted ingest keeps its offset so
 * a later `BlobWriter.ingest` of the same digest resumes there. An ingest of a blob that is
 * already committed starts at `offset === size` and its commit returns the blob.
 */
export interface Ingest {
  readonly digest: Digest;
  readonly offset: number;
  write(chunk: Uint8Array): Promise<void>;
  /** Verifies and publishes the blob. A mismatch throws DIGEST_MISMATCH and discards the ingest. */
  commit(): Promise<BlobInfo>;
  /** Throws away what was written (the next ingest starts at 0). */
  abort(): Promise<void>;
  /** Stops writing but keeps the bytes for a later resume. */
  close(): Promise<void>;
  /**
   * Streams the `offset` bytes already held (from an interrupted ingest), so a downloader can hash
   * them again and resume the transfer after them instead of starting over. Optional: without it
   * a downloader restarts at byte 0.
   */
  replay?(): AsyncIterable<Uint8Array>;
}

/** FollowOptions tune {@link BlobReader.follow}. */
export interface FollowOptions {
  /** Fails the stream when no byte arrives for this long (default: two minutes). */
  idleMs?: number;
  /** Stops the follow (the stream is destroyed with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Starts the stream at this byte of the blob (default 0), for a range: the bytes before it are
   * not read, and the stream waits for the writer to get there. Below the blob's size (or 0).
   */
  offset?: number;
}

/** BlobReader reads committed blobs. */
export interface BlobReader {
  stat(digest: Digest): Promise<BlobInfo | undefined>;
  /** Opens a committed blob (or a range of it). Throws NOT_FOUND when absent. */
  read(digest: Digest, range?: ByteRange): Promise<Readable>;
  /**
   * Optional: opens a committed blob (or a range of it) to be written into a Writable through
   * buffers the store reuses, instead of a fresh buffer per chunk (serving large blobs without
   * feeding the garbage collector). `blob` carries the size the caller's stat found, so the store
   * need not look again. Throws NOT_FOUND when absent; the answer must be called once, and
   * resolves when every byte was written (it does not end the Writable). The Writable must be
   * done with a chunk when it calls back (a socket is): the store reads into it again then.
   */
  openSend?(blob: BlobRef, range?: ByteRange): Promise<BlobSend>;
  /**
   * Opens `blob` while it is being ingested: the stream gives the bytes its ingest holds, then
   * each as the writer appends it; the last bytes are given only once the ingest verified size
   * and digest (a follower in the writer's process need not wait for the fsync that makes them
   * durable), so a reader never gets a wrong blob of the right length (a committed blob is read
   * whole). The stream fails when the ingest is discarded, fails its
   * verification or starts over, or when no byte arrives within `idleMs`. Throws NOT_FOUND
   * while there is neither the blob nor its ingest. Optional: a store without it makes a reader
   * wait for the commit.
   */
  follow?(blob: BlobRef, options?: FollowOptions): Promise<Readable>;
}

/** BlobWriter starts or resumes ingests. */
export interface BlobWriter {
  /**
   * Opens the ingest of `blob` (resuming at its saved offset). Throws CONFLICT while another
   * writer holds that digest's ingest: {@link openIngest} is the one place that waits for it.
   */
  ingest(blob: BlobRef): Promise<Ingest>;
}

/** BlobAdmin lists, measures and deletes. */
export interface BlobAdmin {
  delete(digest: Digest): Promise<boolean>;
  usage(): Promise<{ blobs: number; bytes: number }>;
  list(): AsyncIterable<BlobInfo>;
}

/** BlobStore is the content store's whole port: the union of the capabilities above. */
export interface BlobStore extends BlobReader, BlobWriter, BlobAdmin {}

/** Injection token of the BlobStore port (a filesystem store, or its HTTP client in cluster mode). */
export const BLOB_STORE = Symbol('BLOB_STORE');
