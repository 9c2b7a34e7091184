import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore, DescriptorDto } from '@stevedore/contracts';
import { Digest, isDomainError, Reference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { IngestSink } from './ingest-sink';

/** Progress of one download: bytes so far, then a verifying mark. */
export interface FetchObserver {
  downloading(current: number): void;
  verifying(): void;
}

/**
 * BlobFetcher downloads one blob into the store, once: concurrent requests for the same digest
 * in this process share the download in flight (single flight), so two simultaneous pulls of
 * one image fetch each blob from the registry once.
 */
@Injectable()
export class BlobFetcher {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  /** Resolves once the blob is committed; `shared` tells whether another request did the work. */
  async fetch(client: RegistryClient, ref: Reference, blob: DescriptorDto, observer: FetchObserver): Promise<{ shared: boolean }> {
    const running = this.inflight.get(blob.digest);
    if (running) {
      await running;
      return { shared: true };
    }
    const work = this.download(client, ref, blob, observer).finally(() => this.inflight.delete(blob.digest));
    this.inflight.set(blob.digest, work);
    await work;
    return { shared: false };
  }

  private async download(client: RegistryClient, ref: Reference, blob: DescriptorDto, observer: FetchObserver): Promise<void> {
    const ingest = await this.store.ingest(blob.digest, blob.size);
    if (ingest.offset === blob.size) return void (await ingest.commit());
    const sink = new IngestSink(this.store, ingest, blob.size);
    try {
      const descriptor = { mediaType: blob.mediaType, digest: Digest.parse(blob.digest), size: blob.size };
      await client.copyBlob(ref, descriptor, sink, { onProgress: (done) => observer.downloading(done) });
      observer.verifying();
      await sink.current.commit();
    } catch (err) {
      // A verification failure was already discarded by the sink; anything else keeps its bytes.
      if (!(isDomainError(err) && err.code === 'DIGEST_MISMATCH')) await sink.current.close().catch(() => undefined);
      throw err;
    }
  }
}
