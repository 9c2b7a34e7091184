import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore, Ingest, openIngest } from '@stevedore/blob-port';
import { DescriptorDto } from '@stevedore/contracts';
import { Digest, isDomainError, Reference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { BlobLeases } from './blob-leases';
import { IngestSink } from './ingest-sink';
import { UpstreamGate } from './upstream-gate';

/** Progress of one download: bytes so far, then a verifying mark. */
export interface FetchObserver {
  downloading(current: number): void;
  verifying(): void;
}

/**
 * BlobFetcher downloads one blob into the store, once: concurrent requests for the same digest
 * in this process share the download in flight (single flight), and across replicas a lease per
 * digest ({@link BlobLeases}) lets one fetcher download while the others wait for its commit. The
 * blob store's own one-ingest-per-digest rule (CONFLICT) is the last guard behind that.
 */
@Injectable()
export class BlobFetcher {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly leases: BlobLeases,
    private readonly gate: UpstreamGate,
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

  /** download fetches the blob into the store; true when another replica committed it first. */
  private async download(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
  ): Promise<boolean> {
    const lease = await this.leases.hold(Digest.parse(blob.digest));
    if (!lease) return true;
    try {
      const slot = await this.gate.enter(ref.domain);
      try {
        return await this.downloadHeld(client, ref, blob, observer);
      } finally {
        await slot.release();
      }
    } finally {
      await lease.release();
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
    // Complete already: another replica committed it meanwhile (or left every byte for a commit).
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
