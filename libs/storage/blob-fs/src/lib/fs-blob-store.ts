import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { lastByte } from '@stevedore/blob-port';
import type { BlobInfo, BlobRef, BlobStore, ByteRange, Ingest } from '@stevedore/blob-port';
import type { FollowOptions } from '@stevedore/blob-port';
import { Digest, DigestVerifier, DomainError, spaceErrorOf } from '@stevedore/domain';
import { CommittedIngest } from './committed-ingest';
import { followIngest } from './follow-ingest';
import { FsIngest, openIngestFile } from './fs-ingest';
import { IngestTap } from './ingest-tap';
import { openSend } from './send-file';
import { fsyncDir, isNotFound } from './fs-util';
import { lockIngest } from './ingest-lock';
import { StoreLayout } from './layout';
import { ReclaimedIngests, reclaimIngests } from './reclaim-ingests';
import { removeIngestDir } from './set-aside';
import type { IngestLimits } from './stale-ingests';

/**
 * Blobs are read 1 MiB at a time: 16 times fewer reads, chunks and buffers to collect than the
 * 64 KiB default, which made a `docker save` spend a quarter of its time in GC (issue 14). At most
 * this much is buffered per open read.
 */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * FsBlobStore is the content-addressed blob store on a local filesystem (layout in layout.ts).
 * Ingests are exclusive per digest, within the process and across processes sharing the root (a
 * lock file per ingest): a second concurrent ingest of the same digest gets CONFLICT, so callers
 * single-flight downloads instead of racing on one file.
 */
export class FsBlobStore implements BlobStore {
  private readonly layout: StoreLayout;
  private readonly active = new Set<string>();
  /** The taps of the ingests this instance has open, by digest (see ingest-tap.ts). */
  private readonly taps = new Map<string, IngestTap>();

  constructor(root: string) {
    this.layout = new StoreLayout(root);
  }

  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.layout.blobPath(digest));
      return { digest, size: info.size };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async read(digest: Digest, range?: ByteRange): Promise<Readable> {
    await this.sizeFor(digest, range);
    const path = this.layout.blobPath(digest);
    return createReadStream(path, {
      highWaterMark: READ_CHUNK_BYTES,
      ...(range
        ? { start: range.start, ...(range.end !== undefined ? { end: range.end } : {}) }
        : {}),
    });
  }

  /** Sends through two reused buffers (see send-file.ts). */
  async openSend({ digest, size }: BlobRef, range?: ByteRange) {
    checkRange(digest, size, range);
    try {
      return await openSend(this.layout.blobPath(digest), range?.start ?? 0, lastByte(size, range));
    } catch (err) {
      if (isNotFound(err)) throw DomainError.notFound(`blob ${digest} not found`);
      throw err;
    }
  }

  /** sizeFor is the size of a stored blob, checking that `range` lies in it. */
  private async sizeFor(digest: Digest, range?: ByteRange): Promise<number> {
    const info = await this.stat(digest);
    if (!info) throw DomainError.notFound(`blob ${digest} not found`);
    checkRange(digest, info.size, range);
    return info.size;
  }

  /** Tails the ingest's file, whichever process (sharing this root) writes it; see follow-ingest.ts. */
  follow(blob: BlobRef, options?: FollowOptions): Promise<Readable> {
    return followIngest(this.layout, blob, options, () => this.taps.get(blob.digest.toString()));
  }

  async ingest({ digest: expected, size }: BlobRef): Promise<Ingest> {
    if (!Number.isSafeInteger(size) || size < 0)
      throw DomainError.invalidArgument(`invalid size ${size} for ${expected}`);
    const existing = await this.stat(expected);
    if (existing) return committedOrMismatch(existing, size);
    const key = expected.toString();
    if (this.active.has(key))
      throw DomainError.conflict(`an ingest of ${key} is already in progress`);
    this.active.add(key);
    let unlock = (): void => undefined;
    try {
      await mkdir(this.layout.ingestPath(expected), { recursive: true });
      unlock = lockIngest(this.layout.ingestPath(expected), key);
      const release = unlock;
      // Another process may have committed it since the stat above, and set its ingest aside.
      const committed = await this.committedSince(expected, size);
      if (committed) {
        release();
        this.active.delete(key);
        return committed;
      }
      return await this.openIngest(expected, size, () => (this.active.delete(key), release()));
    } catch (err) {
      unlock();
      this.active.delete(key);
      throw spaceErrorOf(err) ?? err;
    }
  }

  /**
   * reclaimIngests removes interrupted ingests older than `limits.maxAgeMs`, then the oldest
   * beyond `limits.maxBytes` in all; an ingest being written (here or in another process) stays.
   */
  reclaimIngests(limits: IngestLimits, now = Date.now()): Promise<ReclaimedIngests> {
    return reclaimIngests(this.layout, limits, (name) => this.claimIngest(name), now);
  }

  async delete(digest: Digest): Promise<boolean> {
    const path = this.layout.blobPath(digest);
    try {
      await unlink(path);
      await fsyncDir(join(path, '..'));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async usage(): Promise<{ blobs: number; bytes: number }> {
    let blobs = 0;
    let bytes = 0;
    for await (const info of this.list()) {
      blobs += 1;
      bytes += info.size;
    }
    return { blobs, bytes };
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const algorithm of await readdirOrEmpty(this.layout.blobsDir)) {
      const dir = join(this.layout.blobsDir, algorithm);
      for (const hex of await readdirOrEmpty(dir)) {
        const info = await stat(join(dir, hex)).catch(() => undefined);
        const digest = listedDigest(algorithm, hex);
        if (digest && info?.isFile()) yield { digest, size: info.size };
      }
    }
  }

  /** claimIngest holds the ingest directory `name` as a writer would, or answers undefined while it is in use. */
  private claimIngest(name: string): (() => void) | undefined {
    const digest = listedDigest(...splitIngestName(name));
    const key = digest?.toString();
    if (!key || this.active.has(key)) return undefined;
    try {
      const unlock = lockIngest(join(this.layout.ingestDir, name), key);
      this.active.add(key);
      return () => (unlock(), this.active.delete(key));
    } catch {
      return undefined; // another process writes it, or it is gone
    }
  }

  /**
   * committedSince answers the blob when it was committed since {@link ingest} looked, removing
   * the ingest directory made meanwhile (its lock is held): a second commit of a digest is a no-op.
   */
  private async committedSince(expected: Digest, size: number): Promise<Ingest | undefined> {
    const existing = await this.stat(expected);
    if (!existing) return undefined;
    await removeIngestDir(this.layout.ingestPath(expected));
    return committedOrMismatch(existing, size);
  }

  /** Opens the data file and re-hashes what an interrupted ingest left, so the offset resumes there. */
  private async openIngest(expected: Digest, size: number, release: () => void): Promise<Ingest> {
    const file = await openIngestFile(this.layout, expected);
    const verifier = new DigestVerifier(expected, size);
    const { size: kept, ino } = await file.stat();
    if (kept > size) {
      await file.truncate(0); // longer than the blob can be: nothing in it can be trusted
    } else if (kept > 0) {
      for await (const chunk of createReadStream(this.layout.ingestDataPath(expected), {
        end: kept - 1,
      })) {
        verifier.update(chunk as Buffer);
      }
    }
    const key = expected.toString();
    const tap = new IngestTap(ino, verifier.bytes);
    this.taps.set(key, tap);
    const unregister = () => {
      if (this.taps.get(key) === tap) this.taps.delete(key);
      release();
    };
    return new FsIngest(this.layout, expected, size, file, verifier, unregister, tap);
  }
}

function committedOrMismatch(existing: BlobInfo, size: number): Ingest {
  if (existing.size !== size) {
    throw DomainError.digestMismatch(
      `blob ${existing.digest} is ${existing.size} bytes, not ${size}`,
    );
  }
  return new CommittedIngest(existing);
}

/** listedDigest names a file of the blobs directory, or undefined for a stray file. */
function listedDigest(algorithm: string, hex: string): Digest | undefined {
  const text = `${algorithm}:${hex}`;
  return Digest.isValid(text) ? Digest.parse(text) : undefined;
}

/** splitIngestName reads `<algorithm>-<hex>` (see layout.ts). */
function splitIngestName(name: string): [string, string] {
  const dash = name.indexOf('-');
  return dash < 0 ? ['', name] : [name.slice(0, dash), name.slice(dash + 1)];
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** checkRange throws INVALID_ARGUMENT unless `range` lies in a blob of `size` bytes. */
function checkRange(digest: Digest, size: number, range: ByteRange | undefined): void {
  if (!range) return;
  if (range.start < 0 || range.start > size || (range.end !== undefined && range.end < range.start))
    throw DomainError.invalidArgument(
      `range ${range.start}-${range.end ?? ''} is outside blob ${digest} of ${size} bytes`,
    );
}
