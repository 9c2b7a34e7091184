import type { BlobStore, Ingest } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import type { BlobSink } from '@stevedore/registry-client';

/**
 * IngestSink lets the registry client download straight into a blob store ingest. It offers
 * no replay of earlier bytes, so a download always starts at 0 (the client truncates); within
 * one download the client resumes dropped connections with Range by itself.
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

  write(chunk: Uint8Array): Promise<void> {
    return this.ingest.write(chunk);
  }

  async truncate(offset: number): Promise<void> {
    if (offset !== 0) throw DomainError.internal(`cannot truncate an ingest to ${offset}`);
    if (this.ingest.offset === 0) return;
    await this.ingest.abort();
    this.ingest = await this.store.ingest(this.ingest.digest, this.size);
  }

  discard(): Promise<void> {
    return this.ingest.abort();
  }
}
