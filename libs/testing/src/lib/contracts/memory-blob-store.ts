import { Readable } from 'node:stream';
import type { BlobInfo, BlobStore, ByteRange, Ingest } from '@stevedore/contracts';
import { Digest, DigestVerifier, DomainError } from '@stevedore/domain';

/**
 * MemoryBlobStore is an in-memory BlobStore for tests of code that needs the port but not a
 * disk (the filesystem store and its HTTP client pass the same contract suite). Test-sized blobs only.
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly partial = new Map<string, Buffer[]>();
  private readonly active = new Set<string>();

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const key = Digest.parse(digest).toString();
    const bytes = this.blobs.get(key);
    return bytes ? { digest: key, size: bytes.length } : undefined;
  }

  async read(digest: string, range?: ByteRange): Promise<Readable> {
    const bytes = this.blobs.get(Digest.parse(digest).toString());
    if (!bytes) throw DomainError.notFound(`blob ${digest} not found`);
    return Readable.from([
      range
        ? bytes.subarray(range.start, range.end === undefined ? undefined : range.end + 1)
        : bytes,
    ]);
  }

  async ingest(digest: string, size: number): Promise<Ingest> {
    const expected = Digest.parse(digest);
    const key = expected.toString();
    const existing = this.blobs.get(key);
    if (existing) return this.committed(key, existing);
    if (this.active.has(key))
      throw DomainError.conflict(`an ingest of ${key} is already in progress`);
    this.active.add(key);
    const chunks = this.partial.get(key) ?? [];
    const verifier = new DigestVerifier(expected, size);
    for (const chunk of chunks) verifier.update(chunk);
    return this.open(key, chunks, verifier);
  }

  async delete(digest: string): Promise<boolean> {
    return this.blobs.delete(Digest.parse(digest).toString());
  }

  async usage(): Promise<{ blobs: number; bytes: number }> {
    let bytes = 0;
    for (const blob of this.blobs.values()) bytes += blob.length;
    return { blobs: this.blobs.size, bytes };
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const [digest, bytes] of this.blobs) yield { digest, size: bytes.length };
  }

  private committed(digest: string, bytes: Buffer): Ingest {
    return {
      digest,
      offset: bytes.length,
      write: async () => undefined,
      commit: async () => ({ digest, size: bytes.length }),
      abort: async () => undefined,
      close: async () => undefined,
    };
  }

  private open(key: string, chunks: Buffer[], verifier: DigestVerifier): Ingest {
    const release = (): void => void this.active.delete(key);
    const drop = (): void => void (this.partial.delete(key), release());
    return {
      digest: key,
      get offset() {
        return verifier.bytes;
      },
      write: async (chunk) => {
        try {
          verifier.update(chunk);
        } catch (err) {
          drop();
          throw err;
        }
        chunks.push(Buffer.from(chunk));
      },
      commit: async () => {
        try {
          verifier.verify();
        } finally {
          drop();
        }
        const bytes = Buffer.concat(chunks);
        this.blobs.set(key, bytes);
        return { digest: key, size: bytes.length };
      },
      abort: async () => drop(),
      close: async () => void (this.partial.set(key, chunks), release()),
    };
  }
}
