import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore, Ingest, openIngest } from '@stevedore/blob-port';
import { DescriptorDto } from '@stevedore/contracts';
import { Digest, isDomainError, Reference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { DOWNLOAD_GATE, DownloadGate } from './download-gate/download-gate';
import { IngestSink } from './ingest-sink';

/** Progress of one download: bytes so far, then a verifying mark. */
export interface FetchObserver {
  downloading(current: number): void;
  verifying(): void;
}

/**
 * BlobFetcher downloads one blob into the store, once: concurrent requests for the same digest
 * in this process share the download in flight (single flight), and the {@link DownloadGate}
 * lets one downloader at a time at a digest (across replicas too), within the registry's slots
 * and back-offs. The blob store's own one-ingest-per-digest rule (CONFLICT) is the last guard.
 */
@Injectable()
export class BlobFetcher {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(DOWNLOAD_GATE) private readonly gate: DownloadGate,
  ) {}

  /** Resolves once the blob is committed; `shared` tells whether another request did the work. */
  async fetch(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
  ): Promise<{ shared: boolean }> {
    const running = this.inflight.get(blob.digest);
    if (running) {
      await running;
      return { shared: true };
    }
    const work = this.download(client, ref, blob, observer).finally(() =>
      this.inflight.delete(blob.digest),
    );
    const joined = work.then(() => undefined);
    joined.catch(() => undefined); // waiters see the failure; this copy must not count as unhandled
    this.inflight.set(blob.digest, joined);
    return { shared: await work };
  }

  /** download fetches the blob into the store; true when another downloader committed it first. */
  private async download(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
  ): Promise<boolean> {
    const permit = await this.gate.enter(Digest.parse(blob.digest), ref.domain);
    try {
      return await this.downloadHeld(client, ref, blob, observer);
    } finally {
      await permit.release();
    }
  }

  private async downloadHeld(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
  ): Promise<boolean> {
    const ingest: Ingest = await openIngest(this.store, {
      digest: Digest.parse(blob.digest),
      size: blob.size,
    });
    // Complete already: another downloader committed it while this one waited at the gate.
    if (ingest.offset === blob.size) return (void (await ingest.commit()), true);
    const sink = new IngestSink(this.store, ingest, blob.size);
    try {
      const descriptor = {
        mediaType: blob.mediaType,
        digest: Digest.parse(blob.digest),
        size: blob.size,
      };
      await client.copyBlob(ref, descriptor, sink, {
        onProgress: (done) => observer.downloading(done),
      });
      observer.verifying();
      await sink.current.commit();
      return false;
    } catch (err) {
      // A verification failure was already discarded by the sink; anything else keeps its bytes.
      if (!(isDomainError(err) && err.code === 'DIGEST_MISMATCH'))
        await sink.current.close().catch(() => undefined);
      throw err;
    }
  }
}
