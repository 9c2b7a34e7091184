import type { Readable } from 'node:stream';
import type {
  BlobInfo,
  BlobRef,
  BlobSend,
  BlobStore,
  ByteRange,
  Ingest,
} from '@stevedore/blob-port';
import type { FollowOptions } from '@stevedore/blob-port';
import type { Digest } from '@stevedore/domain';
import { Replicas } from '@stevedore/internal-http';
import { HttpBlobStore } from './http-blob-store';

/**
 * BalancedBlobStore spreads requests over several blobstore replicas that share one data root
 * (round robin), and moves on to the next replica when one cannot be reached. Every replica sees
 * the same blobs and ingests (the store's ingest lock is a file), so any of them may serve any call.
 */
export class BalancedBlobStore implements BlobStore {
  private readonly replicas: Replicas<HttpBlobStore>;

  constructor(stores: HttpBlobStore[]) {
    this.replicas = new Replicas(stores);
  }

  stat(digest: Digest): Promise<BlobInfo | undefined> {
    return this.replicas.call((r) => r.stat(digest));
  }

  read(digest: Digest, range?: ByteRange): Promise<Readable> {
    return this.replicas.call((r) => r.read(digest, range));
  }

  openSend(blob: BlobRef, range?: ByteRange): Promise<BlobSend> {
    return this.replicas.call((r) => r.openSend(blob, range));
  }

  /** Any replica follows any ingest: it tails the ingest's file on the shared data root. */
  follow(blob: BlobRef, options?: FollowOptions): Promise<Readable> {
    return this.replicas.call((r) => r.follow(blob, options));
  }

  ingest(blob: BlobRef): Promise<Ingest> {
    return this.replicas.call((r) => r.ingest(blob));
  }

  delete(digest: Digest): Promise<boolean> {
    return this.replicas.call((r) => r.delete(digest));
  }

  usage(): Promise<{ blobs: number; bytes: number }> {
    return this.replicas.call((r) => r.usage());
  }

  list(): AsyncIterable<BlobInfo> {
    return this.replicas.pick().list();
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.members.map((r) => r.close()));
  }
}
