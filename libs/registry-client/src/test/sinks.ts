import { createHash, Hash } from 'node:crypto';
import { BlobSink } from '../lib/pull/blob-sink';

/**
 * HashingSink is a test {@link BlobSink} that keeps no bytes: it hashes what it is given and records
 * how the client drove it (writes, truncations, discard), so tests can stream huge blobs and still
 * check every byte.
 */
export class HashingSink implements BlobSink {
  offset = 0;
  discarded = false;
  readonly truncations: number[] = [];
  private hash: Hash = createHash('sha256');

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.offset += chunk.byteLength;
  }

  async truncate(offset: number): Promise<void> {
    if (offset !== 0) throw new Error('HashingSink can only start over');
    this.truncations.push(offset);
    this.hash = createHash('sha256');
    this.offset = 0;
  }

  async discard(): Promise<void> {
    this.discarded = true;
    this.offset = 0;
  }

  /** digest returns `sha256:<hex>` of everything written since the last truncation. */
  digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }
}
