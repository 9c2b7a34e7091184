import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { BlobProgressV1, DescriptorDto } from '@stevedore/contracts';
import { Digest, DomainError, Reference } from '@stevedore/domain';
import { recordBlob } from '@stevedore/observability';
import { RegistryClient, clientForRequest } from '@stevedore/registry-client';
import { BlobFetcher } from '../../blob-fetcher';
import { FetchBlobsCommand } from './fetch-blobs.command';

/** Blobs downloaded at once per image (Docker's default is 3; registries handle 6 well). */
export const FETCH_CONCURRENCY = 6;
/** Minimum milliseconds between two byte-count events of one blob. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * FetchBlobsUseCase brings every missing blob of an image into the store and streams its
 * progress: first, in order, `exists` for each blob the store holds and `queued` for the others;
 * then per queued blob `downloading` (throttled byte counts), `verifying` and `done` (or `exists`
 * if another pull stored it meanwhile). It completes when every blob is committed. A missing blob
 * goes through the {@link BlobFetcher}.
 * Unsubscribing, or the command's signal, calls the fetches off (see {@link BlobFetcher.fetch}).
 */
@Injectable()
export class FetchBlobsUseCase {
  constructor(
    private readonly registry: RegistryClient,
    private readonly fetcher: BlobFetcher,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  execute(request: FetchBlobsCommand): Observable<BlobProgressV1> {
    return new Observable((subscriber) => {
      const unsubscribed = new AbortController();
      const signal = request.signal
        ? AbortSignal.any([request.signal, unsubscribed.signal])
        : unsubscribed.signal;
      const ref = request.reference;
      const client = clientForRequest(this.registry, ref.domain, request.registryAuth);
      const run = async () => {
        const queue = await this.announce(request.blobs, subscriber);
        const worker = async () => {
          for (let blob = queue.shift(); blob; blob = queue.shift())
            await this.one(client, ref, blob, subscriber, signal);
        };
        await Promise.all(
          Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, worker),
        );
      };
      run().then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
      return () => unsubscribed.abort(new DomainError('UNAVAILABLE', 'the fetch was called off'));
    });
  }

  /**
   * announce is dockerd's first row per blob, in manifest order: `exists` for one the store holds
   * (never `queued` first), `queued` for the rest, which it returns to be fetched.
   */
  private async announce(
    blobs: readonly DescriptorDto[],
    out: Subscriber<BlobProgressV1>,
  ): Promise<DescriptorDto[]> {
    const stored = await Promise.all(blobs.map((b) => this.store.stat(Digest.parse(b.digest))));
    const missing: DescriptorDto[] = [];
    blobs.forEach((blob, i) => {
      if (stored[i]) return out.next(event(blob, 'exists', blob.size));
      missing.push(blob);
      out.next(event(blob, 'queued', 0));
    });
    return missing;
  }

  private async one(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    out: Subscriber<BlobProgressV1>,
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    // No second stat: a blob another pull stored since `announce` is found when its ingest opens
    // complete, and answered `exists` below (in the cluster each stat is a request).
    let last = 0;
    const observer = {
      downloading: (current: number) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS && current < blob.size) return;
        last = now;
        out.next(event(blob, 'downloading', current));
      },
      verifying: () => out.next(event(blob, 'verifying', blob.size)),
    };
    const { shared } = await this.fetcher.fetch(client, ref, blob, observer, signal);
    if (!shared) recordBlob('fetched', blob.size);
    out.next(event(blob, shared ? 'exists' : 'done', blob.size));
  }
}

function event(
  blob: DescriptorDto,
  state: BlobProgressV1['state'],
  current: number,
): BlobProgressV1 {
  return { digest: blob.digest, state, current, total: blob.size };
}
