import type { Readable } from 'node:stream';
import type { BlobInfo, BlobRef, BlobStore, ByteRange, Ingest } from '@stevedore/blob-port';
import type { Digest } from '@stevedore/domain';
import { HttpBlobStore } from './http-blob-store';

/** Error codes that mean "this replica is not there", where trying the next one is safe. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * BalancedBlobStore spreads requests over several blobstore replicas that share one data root
 * (round robin), and moves on to the next replica when one cannot be reached. Every replica sees
 * the same blobs and ingests (the store's ingest lock is a file), so any of them may serve any call.
 */
export class BalancedBlobStore implements BlobStore {
  private next = 0;

  constructor(private readonly replicas: HttpBlobStore[]) {
    if (replicas.length === 0) throw new Error('BalancedBlobStore needs at least one replica');
  }

  stat(digest: Digest): Promise<BlobInfo | undefined> {
    return this.call((r) => r.stat(digest));
  }

  read(digest: Digest, range?: ByteRange): Promise<Readable> {
    return this.call((r) => r.read(digest, range));
  }

  ingest(blob: BlobRef): Promise<Ingest> {
    return this.call((r) => r.ingest(blob));
  }

  delete(digest: Digest): Promise<boolean> {
    return this.call((r) => r.delete(digest));
  }

  usage(): Promise<{ blobs: number; bytes: number }> {
    return this.call((r) => r.usage());
  }

  list(): AsyncIterable<BlobInfo> {
    return (this.replicas[this.pick()] as HttpBlobStore).list();
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close()));
  }

  private pick(): number {
    this.next = (this.next + 1) % this.replicas.length;
    return this.next;
  }

  private async call<T>(op: (replica: HttpBlobStore) => Promise<T>): Promise<T> {
    const first = this.pick();
    for (let i = 0; ; i += 1) {
      const replica = this.replicas[(first + i) % this.replicas.length] as HttpBlobStore;
      try {
        return await op(replica);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (i + 1 >= this.replicas.length || code === undefined || !UNREACHABLE.has(code))
          throw err;
      }
    }
  }
}
