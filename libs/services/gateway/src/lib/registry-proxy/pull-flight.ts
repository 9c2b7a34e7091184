import { Observable, Subscription } from 'rxjs';
import type { PullEventV1 } from '@stevedore/contracts';

/** Where a pull-through pull resolved: the document the reference named and its platform manifest's blobs. */
export interface PullResolution {
  /** Digest of what the reference names upstream (the index, or the manifest). */
  topDigest: string;
  manifestDigest: string;
  /** The config and layers of the platform manifest the fetcher downloads, with their sizes. */
  blobs: ReadonlyMap<string, number>;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * PullFlight follows one fetcher pull (PULL_IMAGE_V1) that a miss started: it tells when the
 * reference resolved (the manifest documents are in the store then) and when each blob landed,
 * and stays subscribed to the end whoever still waits, so a client that hangs up does not call
 * off a download other clients (or the next pull) want.
 */
export class PullFlight {
  readonly resolved: Promise<PullResolution>;
  readonly done: Promise<void>;
  private resolution: PullResolution | undefined;
  private readonly landed = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** Blobs whose download began (their ingest is there), and who waits for that. */
  private readonly begun = new Set<string>();
  private readonly beginWaiters = new Map<string, (() => void)[]>();
  private failure: unknown;
  private finished = false;
  private readonly subscription: Subscription;

  constructor(events: Observable<PullEventV1>) {
    let onResolved!: (r: PullResolution) => void;
    let onFailed!: (err: unknown) => void;
    this.resolved = new Promise((resolve, reject) => ((onResolved = resolve), (onFailed = reject)));
    let onDone!: () => void;
    let onDoneFailed!: (err: unknown) => void;
    this.done = new Promise((resolve, reject) => ((onDone = resolve), (onDoneFailed = reject)));
    // Followers that never ask still must not see an unhandled rejection.
    this.resolved.catch(() => undefined);
    this.done.catch(() => undefined);
    this.subscription = events.subscribe({
      next: (event) => this.observe(event, onResolved),
      error: (err: unknown) => this.finish(err, () => (onFailed(err), onDoneFailed(err))),
      complete: () => this.finish(undefined, () => (onFailed(incomplete()), onDone())),
    });
  }

  /** waitFor resolves once `digest` is in the store; undefined when this pull does not bring it. */
  waitFor(digest: string): Promise<void> | undefined {
    if (this.landed.has(digest) || (this.finished && this.failure === undefined)) {
      return this.resolution?.blobs.has(digest) ? Promise.resolve() : undefined;
    }
    if (this.resolution && !this.resolution.blobs.has(digest)) return undefined;
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(digest) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(digest, list);
    });
  }

  /**
   * started resolves once the download of `digest` began (its first bytes are in the ingest), or
   * it landed, or the pull ended: a hint for a follower waiting for the ingest to appear.
   */
  started(digest: string): Promise<void> {
    if (this.begun.has(digest) || this.landed.has(digest) || this.finished)
      return Promise.resolve();
    return new Promise((resolve) => {
      this.beginWaiters.set(digest, [...(this.beginWaiters.get(digest) ?? []), resolve]);
    });
  }

  /** sizeOf tells the size of a blob this pull brings, once it resolved (its descriptor's). */
  sizeOf(digest: string): number | undefined {
    return this.resolution?.blobs.get(digest);
  }

  /** Stops following (the process shuts down). */
  close(): void {
    this.subscription.unsubscribe();
  }

  private observe(event: PullEventV1, onResolved: (r: PullResolution) => void): void {
    if (event.type === 'resolved') {
      const m = event.manifest;
      const blobs = new Map([m.config, ...m.layers].map((d) => [d.digest, d.size]));
      this.resolution = { topDigest: event.digest, manifestDigest: m.digest, blobs };
      // The config was stored with the manifest, before the downloads.
      this.land(m.config.digest);
      onResolved(this.resolution);
    } else if (event.type === 'blob' && (event.state === 'done' || event.state === 'exists')) {
      this.land(event.digest);
    } else if (event.type === 'blob' && event.state === 'downloading') {
      this.begin(event.digest);
    }
  }

  private begin(digest: string): void {
    this.begun.add(digest);
    for (const resolve of this.beginWaiters.get(digest) ?? []) resolve();
    this.beginWaiters.delete(digest);
  }

  private land(digest: string): void {
    this.begin(digest);
    this.landed.add(digest);
    for (const w of this.waiters.get(digest) ?? []) w.resolve();
    this.waiters.delete(digest);
  }

  private finish(err: unknown, settle: () => void): void {
    this.finished = true;
    this.failure = err;
    settle();
    for (const digest of [...this.beginWaiters.keys()]) this.begin(digest);
    for (const [digest, list] of this.waiters) {
      for (const w of list) (err === undefined ? w.resolve : () => w.reject(err))();
      this.waiters.delete(digest);
    }
  }
}

function incomplete(): Error {
  return new Error('the pull ended before it resolved');
}
