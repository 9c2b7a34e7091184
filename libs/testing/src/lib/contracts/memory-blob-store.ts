import { Readable } from 'node:stream';
import type { BlobInfo, BlobRef, BlobStore, ByteRange, Ingest } from '@stevedore/blob-port';
import { Digest, DigestVerifier, DomainError } from '@stevedore/domain';

/**
 * MemoryBlobStore is a BlobStore kept in memory for tests of code that needs the port but not a
 * disk, with the filesystem store's ingest semantics (it passes the same contract suite): ingests
 * are invisible until commit, a closed ingest resumes at its offset, an abort forgets it, a second
 * concurrent ingest of a digest is CONFLICT, and ingesting a committed blob is a no-op ingest at
 * offset = size. Test-sized blobs only.
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  /** Bytes of ingests not committed (closed ones kept for resume). */
  readonly pending = new Map<string, Buffer[]>();
  private readonly active = new Set<string>();

  /** put commits `bytes` directly (test setup) and returns their digest. */
  put(bytes: Buffer | string): string {
    const buffer = Buffer.from(bytes);
    const digest = Digest.fromBytes(buffer).toString();
    this.blobs.set(digest, buffer);
    return digest;
  }

  /** bytes returns a committed blob's content (test assertions). */
  bytes(digest: Digest | string): Buffer | undefined {
    return this.blobs.get(digest.toString());
  }

  /** committed lists committed digests. */
  committed(): string[] {
    return [...this.blobs.keys()];
  }

  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    const bytes = this.blobs.get(digest.toString());
    return bytes ? { digest, size: bytes.length } : undefined;
  }

  async read(digest: Digest, range?: ByteRange): Promise<Readable> {
    const blob = this.blobs.get(digest.toString());
    if (!blob) throw DomainError.notFound(`blob ${digest} not found`);
    const slice = range
      ? blob.subarray(range.start, range.end === undefined ? undefined : range.end + 1)
      : blob;
    // Several chunks, so readers see a stream rather than one buffer.
    const chunks: Buffer[] = [];
    for (let at = 0; at < slice.length; at += 64 * 1024)
      chunks.push(slice.subarray(at, at + 64 * 1024));
    return Readable.from(chunks);
  }

  async ingest({ digest, size }: BlobRef): Promise<Ingest> {
    const key = digest.toString();
    const existing = this.blobs.get(key);
    if (existing) {
      if (existing.length !== size)
        throw DomainError.digestMismatch(`blob ${key} is ${existing.length} bytes, not ${size}`);
      return committedIngest(digest, size);
    }
    if (this.active.has(key))
      throw DomainError.conflict(`an ingest of ${key} is already in progress`);
    this.active.add(key);
    const parts = this.pending.get(key) ?? [];
    this.pending.set(key, parts);
    return this.openIngest(digest, size, parts);
  }

  async delete(digest: Digest): Promise<boolean> {
    return this.blobs.delete(digest.toString());
  }

  async usage(): Promise<{ blobs: number; bytes: number }> {
    let bytes = 0;
    for (const blob of this.blobs.values()) bytes += blob.length;
    return { blobs: this.blobs.size, bytes };
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const [digest, blob] of this.blobs)
      yield { digest: Digest.parse(digest), size: blob.length };
  }

  private openIngest(digest: Digest, size: number, parts: Buffer[]): Ingest {
    const key = digest.toString();
    const verifier = new DigestVerifier(digest, size);
    for (const part of parts) verifier.update(part);
    let finished = false;
    const finish = (): void => {
      if (finished) throw DomainError.internal(`ingest of ${key} is already finished`);
      finished = true;
      this.active.delete(key);
    };
    const drop = (): void => void (finish(), this.pending.delete(key));
    return {
      digest,
      get offset() {
        return verifier.bytes;
      },
      write: async (chunk) => {
        if (finished) throw DomainError.internal(`ingest of ${key} is already finished`);
        try {
          verifier.update(chunk);
        } catch (error) {
          drop(); // like the filesystem store: a blob that outgrows its size is thrown away at once
          throw error;
        }
        parts.push(Buffer.from(chunk));
      },
      commit: async () => {
        drop();
        verifier.verify();
        this.blobs.set(key, Buffer.concat(parts));
        return { digest, size };
      },
      abort: async () => void (finished || drop()),
      close: async () => void (finished || finish()),
    };
  }
}

function committedIngest(digest: Digest, size: number): Ingest {
  return {
    digest,
    offset: size,
    write: async (chunk) => {
      if (chunk.byteLength > 0) throw DomainError.digestMismatch(`blob ${digest} is complete`);
    },
    commit: async () => ({ digest, size }),
    abort: async () => undefined,
    close: async () => undefined,
  };
}
