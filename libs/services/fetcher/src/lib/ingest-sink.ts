import { BlobStore, Ingest, openIngest } from '@stevedore/blob-port';
import { DomainError } from '@stevedore/domain';
import type { BlobSink } from '@stevedore/registry-client';

/**
 * IngestSink lets the registry client download straight into a blob store ingest, which is the one
 * verifier of the bytes (the client only counts them; see BlobSink.commit). When the ingest
 * holds bytes from an interrupted download (another fetcher's, which died), it replays them so the
 * client re-hashes them and resumes the transfer after them with Range; within one download the
 * client also resumes dropped connections by itself.
 */
export class IngestSink implements BlobSink {
  constructor(
    private readonly store: BlobStore,
    private ingest: Ingest,
    private readonly size: number,
  ) {}

  get current(): Ingest {
    return this.ingest;
  }

  get offset(): number {
    return this.ingest.offset;
  }

  replay(): AsyncIterable<Uint8Array> {
    if (!this.ingest.replay)
      throw DomainError.unsupported('this blob store cannot replay an ingest');
    return this.ingest.replay();
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.ingest.write(chunk);
  }

  async truncate(offset: number): Promise<void> {
    if (offset !== 0) throw DomainError.internal(`cannot truncate an ingest to ${offset}`);
    if (this.ingest.offset === 0) return;
    await this.ingest.abort();
    this.ingest = await openIngest(this.store, { digest: this.ingest.digest, size: this.size });
  }

  discard(): Promise<void> {
    return this.ingest.abort();
  }

  /** The ingest hashes every byte and verifies digest and size here: the client hashes none. */
  async commit(): Promise<void> {
    await this.ingest.commit();
  }
}
