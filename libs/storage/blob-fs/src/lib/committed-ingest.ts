import type { BlobInfo, Ingest } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';

/**
 * CommittedIngest is what ingesting an already-present blob returns: nothing to write, and a
 * commit that succeeds at once. "Already exists" is a benign outcome, which keeps handlers
 * idempotent when a message is redelivered.
 */
export class CommittedIngest implements Ingest {
  constructor(private readonly info: BlobInfo) {}

  get digest(): Digest {
    return this.info.digest;
  }

  get offset(): number {
    return this.info.size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.byteLength > 0)
      throw DomainError.digestMismatch(`blob ${this.info.digest} is complete; no more bytes fit`);
  }

  async commit(): Promise<BlobInfo> {
    return this.info;
  }

  async abort(): Promise<void> {
    // The committed blob stays: it was verified when it was written.
  }

  async close(): Promise<void> {
    // Nothing is open.
  }
}
