import { Readable } from 'node:stream';
import type { BlobInfo, BlobStore, ByteRange, Ingest } from '@stevedore/contracts';
import { Digest, DigestVerifier, DomainError } from '@stevedore/domain';

/**
 * MemoryBlobStore is a BlobStore kept in memory for tests, with the filesystem store's ingest
 * semantics: ingests are invisible until commit, a closed ingest resumes at its offset, an abort
 * forgets it, a second concurrent ingest of a digest is CONFLICT, and ingesting a committed blob
 * is a no-op ingest at offset = size.
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
  bytes(digest: string): Buffer | undefined {
    return this.blobs.get(digest);
  }

  /** committed lists committed digests. */
  committed(): string[] {
    return [...this.blobs.keys()];
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const blob = this.blobs.get(Digest.parse(digest).toString());
    return blob ? { digest, size: blob.length } : undefined;
  }

  async read(digest: string, range?: ByteRange): Promise<Readable> {
    const blob = this.blobs.get(digest);
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

  async ingest(digest: string, size: number): Promise<Ingest> {
    const expected = Digest.parse(digest);
    const existing = this.blobs.get(expected.toString());
    if (existing) {
      if (existing.length !== size)
        throw DomainError.digestMismatch(`blob ${digest} is ${existing.length} bytes, not ${size}`);
      return this.committedIngest(digest, size);
    }
    if (this.active.has(digest))
      throw DomainError.conflict(`an ingest of ${digest} is already in progress`);
    this.active.add(digest);
    const parts = this.pending.get(digest) ?? [];
    this.pending.set(digest, parts);
    return this.openIngest(expected, size, parts);
  }

  async delete(digest: string): Promise<boolean> {
    return this.blobs.delete(digest);
  }

  async usage(): Promise<{ blobs: number; bytes: number }> {
    let bytes = 0;
    for (const blob of this.blobs.values()) bytes += blob.length;
    return { blobs: this.blobs.size, bytes };
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const [digest, blob] of this.blobs) yield { digest, size: blob.length };
  }

  private committedIngest(digest: string, size: number): Ingest {
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

  private openIngest(expected: Digest, size: number, parts: Buffer[]): Ingest {
    const digest = expected.toString();
    const verifier = new DigestVerifier(expected, size);
    for (const part of parts) verifier.update(part);
    let finished = false;
    const finish = () => {
      if (finished) throw DomainError.internal(`ingest of ${digest} is already finished`);
      finished = true;
      this.active.delete(digest);
    };
    return {
      digest,
      get offset() {
        return verifier.bytes;
      },
      write: async (chunk) => {
        if (finished) throw DomainError.internal(`ingest of ${digest} is already finished`);
        try {
          verifier.update(chunk);
        } catch (error) {
          // Like the filesystem store: a blob that outgrows its size is thrown away at once.
          finish();
          this.pending.delete(digest);
          throw error;
        }
        parts.push(Buffer.from(chunk));
      },
      commit: async () => {
        finish();
        this.pending.delete(digest);
        verifier.verify();
        this.blobs.set(digest, Buffer.concat(parts));
        return { digest, size };
      },
      abort: async () => {
        if (finished) return;
        finish();
        this.pending.delete(digest);
      },
      close: async () => {
        if (!finished) finish();
      },
    };
  }
}
