import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, isDomainError } from '@stevedore/domain';
import type { BlobRef, BlobWriter, Ingest } from './blob-store.port';

/** How long {@link openIngest} waits for another writer of the same digest, by default. */
export const DEFAULT_INGEST_WAIT_MS = 10 * 60_000;
const FIRST_DELAY_MS = 20;
const MAX_DELAY_MS = 2_000;

export interface OpenIngestOptions {
  /** Stops the wait (the error is the signal's reason). */
  signal?: AbortSignal;
  /** The longest total wait for a conflicting writer before UNAVAILABLE. */
  maxWaitMs?: number;
}

/**
 * openIngest opens the ingest of `blob`, waiting while another writer holds it (CONFLICT) with one
 * bounded, randomised exponential back-off — containerd's `OpenWriter`. When that writer commits,
 * the ingest opened next starts complete (`offset === size`); when it gave up, this one resumes
 * from whatever bytes it kept.
 */
export async function openIngest(
  store: BlobWriter,
  blob: BlobRef,
  options: OpenIngestOptions = {},
): Promise<Ingest> {
  const deadline = Date.now() + (options.maxWaitMs ?? DEFAULT_INGEST_WAIT_MS);
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    options.signal?.throwIfAborted();
    try {
      return await store.ingest(blob);
    } catch (err) {
      if (!isDomainError(err) || err.code !== 'CONFLICT') throw err;
    }
    const wait = Math.min(delay / 2 + Math.random() * (delay / 2), deadline - Date.now());
    if (wait <= 0) {
      throw new DomainError('UNAVAILABLE', `gave up waiting for another writer of ${blob.digest}`);
    }
    // An abort ends the wait with the signal's own reason, not a generic AbortError.
    await sleep(wait, undefined, options.signal ? { signal: options.signal } : {}).catch(
      (err: unknown) => {
        options.signal?.throwIfAborted();
        throw err;
      },
    );
  }
}
