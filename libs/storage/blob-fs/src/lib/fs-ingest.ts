import { createReadStream, writeSync } from 'node:fs';
import { FileHandle, mkdir, open, rename } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { dirname } from 'node:path';
import type { BlobInfo, Ingest } from '@stevedore/blob-port';
import { Digest, DigestVerifier, DomainError, spaceErrorOf } from '@stevedore/domain';
import { StoreLayout } from './layout';
import { fsyncDir } from './fs-util';
import type { IngestTap } from './ingest-tap';
import { removeIngestDir } from './set-aside';

/**
 * FsIngest appends to an ingest's data file while hashing, and commits by fsync + atomic rename.
 * It is created by FsBlobStore.ingest, which has already re-hashed any bytes a previous,
 * interrupted ingest left (so `offset` may start above zero).
 */
export class FsIngest implements Ingest {
  private finished = false;
  /** Whether this opening wrote anything: a close with nothing new has nothing to make durable. */
  private wrote = false;

  constructor(
    private readonly layout: StoreLayout,
    private readonly expected: Digest,
    private readonly size: number,
    private readonly file: FileHandle,
    private readonly verifier: DigestVerifier,
    private readonly release: () => void,
    private readonly tap?: IngestTap,
  ) {}

  get digest(): Digest {
    return this.expected;
  }

  get offset(): number {
    return this.verifier.bytes;
  }

  replay(): AsyncIterable<Uint8Array> {
    if (this.offset === 0) return Readable.from([]);
    return createReadStream(this.layout.ingestDataPath(this.expected), {
      start: 0,
      end: this.offset - 1,
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.assertOpen();
    try {
      this.verifier.update(chunk); // throws as soon as the blob grows past its declared size
    } catch (err) {
      await this.abort();
      throw err;
    }
    try {
      this.wrote = true;
      writeAll(this.file.fd, chunk);
      this.tap?.wrote(chunk);
    } catch (err) {
      // The file now ends somewhere inside this chunk, behind what the verifier counted: close
      // the ingest (what is on disk is still a prefix of the blob, re-hashed when it is resumed).
      await this.close().catch(() => undefined);
      throw spaceErrorOf(err) ?? err;
    }
  }

  async commit(): Promise<BlobInfo> {
    this.assertOpen();
    try {
      this.verifier.verify();
    } catch (err) {
      await this.abort();
      throw err;
    }
    // Followers of this process have the right bytes now: they need not wait for the fsync.
    this.tap?.settle('verified');
    try {
      await this.publish();
    } catch (err) {
      this.tap?.settle('closed');
      throw err;
    }
    this.tap?.settle('committed');
    return { digest: this.digest, size: this.size };
  }

  /** publish makes the verified file durable and renames it into the blobs directory. */
  private async publish(): Promise<void> {
    await this.file.sync().catch(async (err: unknown) => {
      await this.close().catch(() => undefined);
      throw spaceErrorOf(err) ?? err;
    });
    // The lock is held until the blob is published and the ingest directory gone: a writer that
    // got in between would start an ingest whose file this commit then renames or removes.
    await this.finish(async () => {
      const target = this.layout.blobPath(this.expected);
      // A failed mkdir or rename (a full disk) keeps the ingest, for a commit once there is room.
      await mkdir(dirname(target), { recursive: true });
      await rename(this.layout.ingestDataPath(this.expected), target);
      await fsyncDir(dirname(target));
      // Published: what is left of the ingest is litter, which a reclaim sweeps if this fails.
      await removeIngestDir(this.layout.ingestPath(this.expected)).catch(() => undefined);
    });
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.tap?.settle('failed');
    await this.finish(() => removeIngestDir(this.layout.ingestPath(this.expected)));
  }

  async close(): Promise<void> {
    if (this.finished) return;
    // Durability of a kept ingest is best effort: on a full disk even fsync fails, and a resume
    // re-hashes whatever is on disk anyway. An opening that only looked (where does the ingest
    // stand?) wrote nothing and skips the fsync: in the cluster every blob's PUT is preceded by one.
    if (this.wrote) await this.file.sync().catch(() => undefined);
    this.tap?.settle('closed');
    await this.finish(async () => undefined);
  }

  /** finish closes the file, runs `then` while still holding the ingest's lock, then releases it. */
  private async finish(then: () => Promise<unknown>): Promise<void> {
    this.finished = true;
    try {
      await this.file.close();
      await then();
    } catch (err) {
      throw spaceErrorOf(err) ?? err;
    } finally {
      this.release();
    }
  }

  private assertOpen(): void {
    if (this.finished) throw DomainError.internal(`ingest of ${this.digest} is already finished`);
  }
}

/**
 * writeAll writes the whole chunk: a write may take only part of it (a disk that fills up takes
 * what fits and fails only on the next write), and a short write that went unnoticed would
 * publish a truncated blob under the digest of the whole one.
 *
 * The write is synchronous on purpose: it lands in the page cache in tens of microseconds (p99
 * ~0.1 ms for 64 KiB), while an awaited thread-pool write per chunk costs a round trip through
 * the event loop each time. Measured on 512 MiB of 64 KiB chunks with one hash: synchronous
 * ~700 MB/s, four MiB of pipelined writes in flight ~550 MB/s, awaited writes ~260–480 MB/s.
 * Durability is the single fsync at commit, on the thread pool.
 */
function writeAll(fd: number, chunk: Uint8Array): void {
  for (let done = 0; done < chunk.byteLength;) {
    done += writeSync(fd, chunk, done, chunk.byteLength - done);
  }
}

/** Opens (creating if needed) the data file of an ingest for appending. */
export async function openIngestFile(layout: StoreLayout, digest: Digest): Promise<FileHandle> {
  await mkdir(layout.ingestPath(digest), { recursive: true });
  return open(layout.ingestDataPath(digest), 'a+');
}
