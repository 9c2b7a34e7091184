import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore, Ingest, openIngest } from '@stevedore/blob-port';
import { DescriptorDto } from '@stevedore/contracts';
import { Digest, DomainError, isDomainError, Reference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';
import { whileWanted } from './abortable';
import { DOWNLOAD_GATE, DownloadGate } from './download-gate/download-gate';
import { IngestSink } from './ingest-sink';

/** Progress of one download: bytes so far, then a verifying mark. */
export interface FetchObserver {
  downloading(current: number): void;
  verifying(): void;
}

/** One download in flight: how many requests still wait for it, and how to call it off. */
interface Flight {
  readonly work: Promise<boolean>;
  readonly controller: AbortController;
  wanted: number;
  settled: boolean;
}

/**
 * BlobFetcher downloads one blob into the store, once: concurrent requests for the same digest
 * in this process share the download in flight (single flight), and the {@link DownloadGate}
 * lets one downloader at a time at a digest (across replicas too), within the registry's slots
 * and back-offs. The blob store's own one-ingest-per-digest rule (CONFLICT) is the last guard.
 * A request whose signal aborts stops waiting; the download stops when no request waits for it
 * any more (its ingest keeps the bytes for a resume), and goes on while another one does.
 */
@Injectable()
export class BlobFetcher {
  private readonly inflight = new Map<string, Flight>();

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
    signal?: AbortSignal,
  ): Promise<{ shared: boolean }> {
    signal?.throwIfAborted();
    const running = this.inflight.get(blob.digest);
    const flight = running ?? this.start(client, ref, blob, observer);
    flight.wanted += 1;
    try {
      const committedElsewhere = await whileWanted(flight.work, signal);
      return { shared: running !== undefined || committedElsewhere };
    } finally {
      flight.wanted -= 1;
      if (flight.wanted === 0 && !flight.settled) this.callOff(flight, blob.digest);
    }
  }

  /** callOff stops a download nobody waits for; a request that comes later starts a new one. */
  private callOff(flight: Flight, digest: string): void {
    if (this.inflight.get(digest) === flight) this.inflight.delete(digest);
    flight.controller.abort(new DomainError('UNAVAILABLE', `no pull wants ${digest} any more`));
  }

  private start(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
  ): Flight {
    const controller = new AbortController();
    const work = this.download(client, ref, blob, observer, controller.signal);
    const flight: Flight = { work, controller, wanted: 0, settled: false };
    // Waiters see the failure; this handler only keeps it from counting as unhandled.
    work.catch(() => undefined);
    void work
      .finally(() => {
        flight.settled = true;
        if (this.inflight.get(blob.digest) === flight) this.inflight.delete(blob.digest);
      })
      .catch(() => undefined);
    this.inflight.set(blob.digest, flight);
    return flight;
  }

  /** download fetches the blob into the store; true when another downloader committed it first. */
  private async download(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
    signal: AbortSignal,
  ): Promise<boolean> {
    const permit = await this.gate.enter(Digest.parse(blob.digest), ref.domain, signal);
    try {
      return await this.downloadHeld(client, ref, blob, observer, signal);
    } finally {
      await permit.release();
    }
  }

  private async downloadHeld(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    observer: FetchObserver,
    signal: AbortSignal,
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
      // The last byte in, the ingest verifies as copyBlob commits it.
      await client.copyBlob(ref, descriptor, sink, {
        onProgress: (done, total) => {
          observer.downloading(done);
          if (done === total) observer.verifying();
        },
        signal,
      });
      return false;
    } catch (err) {
      // A verification failure was already discarded by the sink; anything else keeps its bytes.
      if (!(isDomainError(err) && err.code === 'DIGEST_MISMATCH'))
        await sink.current.close().catch(() => undefined);
      throw err;
    }
  }
}
