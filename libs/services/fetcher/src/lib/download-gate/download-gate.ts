import type { Digest } from '@stevedore/domain';

/** DownloadPermit is the right to download one blob now; give it back when the download ends. */
export interface DownloadPermit {
  release(): Promise<void>;
}

/**
 * DownloadGate decides when this process may download a blob: when nobody else downloads the
 * same digest, a slot of the registry's `max-concurrent-downloads` is free, and no back-off asked
 * by the registry (429 / Retry-After) runs. Whether another downloader committed the blob
 * meanwhile is for the caller to see once it holds the permit: its ingest then starts complete.
 *
 * The composition root picks the implementation: {@link LocalDownloadGate} when every fetcher
 * lives in this process (embedded), {@link BusDownloadGate} when replicas share the gate through
 * the metadata service (cluster).
 */
export interface DownloadGate {
  /**
   * enter waits until this process may download `digest` from `registry` (`host[:port]`); when
   * `signal` aborts first it stops waiting, holding nothing, and rejects with the signal's reason.
   */
  enter(digest: Digest, registry: string, signal?: AbortSignal): Promise<DownloadPermit>;
}

/** Injection token of the {@link DownloadGate}. */
export const DOWNLOAD_GATE = Symbol('DownloadGate');

/** How the fetchers coordinate downloads: in this process only, or over the bus with all replicas. */
export type DownloadCoordination = 'local' | 'bus';

/** The longest a fetcher waits for its turn at one blob before it gives up (UNAVAILABLE). */
export const GATE_WAIT_LIMIT_MS = 30 * 60_000;
/** The longest a registry's back-off may hold every download (a Retry-After is capped to it). */
export const MAX_BACKOFF_MS = 600_000;
/** The shortest back-off, whatever the registry said. */
export const MIN_BACKOFF_MS = 1_000;

/** backoffMs is how long to hold a registry's downloads after it asked to wait `retryAfterMs`. */
export function backoffMs(retryAfterMs: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.max(MIN_BACKOFF_MS, retryAfterMs));
}
