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
 * progress: `queued` for all first, then per blob `exists`, or `downloading` (throttled byte
 * counts), `verifying` and `done`. It completes when every blob is committed. Each blob is
 * looked up in the store once; one that is missing goes through the {@link BlobFetcher}.
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
      for (const blob of request.blobs) subscriber.next(event(blob, 'queued', 0));
      const queue = [...request.blobs];
      const worker = async () => {
        for (let blob = queue.shift(); blob; blob = queue.shift())
          await this.one(client, ref, blob, subscriber, signal);
      };
      Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, worker)).then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
      return () => unsubscribed.abort(new DomainError('UNAVAILABLE', 'the fetch was called off'));
    });
  }

  private async one(
    client: RegistryClient,
    ref: Reference,
    blob: DescriptorDto,
    out: Subscriber<BlobProgressV1>,
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    if (await this.store.stat(Digest.parse(blob.digest)))
      return out.next(event(blob, 'exists', blob.size));
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
