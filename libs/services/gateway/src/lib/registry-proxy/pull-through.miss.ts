import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BLOB_STORE, BlobRef, BlobStore } from '@stevedore/blob-port';
import type { RegistryProxyConfig } from '@stevedore/config';
import {
  HEAD_MANIFEST_V1,
  LIST_UPSTREAM_REFERRERS_V1,
  ManifestHeadV1,
  PULL_IMAGE_V1,
  PullEventV1,
  UpstreamReferrersV1,
} from '@stevedore/contracts';
import { Digest, isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { RateLimiter } from '@stevedore/registry-access';
import {
  type RegistryMiss,
  type ServedBlob,
  type ServedManifest,
  satisfiedRange,
} from '../registry/registry-miss';
import { RegistryError } from '../registry/registry-error';
import { ServeContentUseCase } from '../registry/serve-content.use-case';
import { RepositoryBlobs } from '../registry/repository-blobs';
import { firstBytes, followLanding } from './follow-landing';
import { clientKey } from './registry-client-context';
import { PullFlight } from './pull-flight';
import { upstreamReference } from './upstream-reference';

/** Injection token of the pull-through cache's settings (`registry-proxy`). */
export const REGISTRY_PROXY_CONFIG = Symbol('REGISTRY_PROXY_CONFIG');

/** The longest silence of a pull a miss waits through (the same as an Engine API pull's). */
const PULL_IDLE_TIMEOUT_MS = 300_000;
const HEAD_TIMEOUT_MS = 30_000;
const STORE_POLL_MS = 100;

/**
 * PullThroughMiss is the `/v2/` miss hook of the pull-through cache. A manifest the store lacks is
 * pulled by a fetcher (resolver, then one download per digest across every replica through the
 * fetchers' single flight and download leases) and answered as soon as it resolved; its blobs are
 * streamed to the client while they land in the store (followed ingests), so a cold pull costs
 * one download, not a download and then a read. What a pull resolved is linked into the repository
 * that asked (metadata's links), so the registry serves those blobs there while they land. A tag
 * served from the store is revalidated upstream with a HEAD once older than
 * `tag-revalidate-seconds`, and the upstream's referrers join the stored ones. Upstream fetches
 * are rate-limited per client.
 */
@Injectable()
export class PullThroughMiss implements RegistryMiss, OnApplicationShutdown {
  private readonly logger = new Logger('registry-proxy');
  private readonly flights = new Map<string, PullFlight>();
  private readonly validated = new Map<string, number>();
  private readonly limiter: RateLimiter;

  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(REGISTRY_PROXY_CONFIG) private readonly config: RegistryProxyConfig,
    private readonly modules: ModuleRef,
    private readonly blobs: RepositoryBlobs,
  ) {
    this.limiter = new RateLimiter(config.missesPerMinute, config.missBurst);
  }

  async manifest(repository: string, reference: string): Promise<ServedManifest | undefined> {
    const upstream = upstreamReference(repository, reference);
    if (!upstream) return undefined;
    const flight = this.flights.get(upstream) ?? this.start(upstream);
    let resolution;
    try {
      resolution = await flight.resolved;
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
    if (!reference.includes(':')) this.validated.set(upstream, Date.now());
    const digest = reference.includes(':') ? reference : resolution.topDigest;
    // What the pull brings is in this repository from now on, on every replica, landed or not.
    const { topDigest, manifestDigest, blobs } = resolution;
    await this.blobs.link(repository, [digest, topDigest, manifestDigest, ...blobs.keys()]);
    return this.content().readManifest(Digest.parse(digest));
  }

  async blob(
    repository: string,
    digest: Digest,
    options: { head: boolean; range?: { start: number; end?: number } },
  ): Promise<ServedBlob | undefined> {
    if (!upstreamReference(repository, digest.toString())) return undefined;
    const local = this.landing(digest.toString());
    // The size is the descriptor's in the manifest the pull resolved (undefined if it did not).
    const size = await local?.flight.resolved.then(
      () => local.flight.sizeOf(digest.toString()),
      () => undefined,
    );
    const follow = this.store.follow?.bind(this.store);
    if (local && size !== undefined && follow)
      return whileLanding({ follow }, { digest, size }, local, options);
    if (local) await local.landed;
    else if (!(await this.pollStore(digest))) return undefined;
    // Landed: served the way the store serves it (a blob gone again is unknown, not waited for twice).
    return this.content().stored(digest, options);
  }

  /**
   * revalidate checks a stored tag upstream once it is older than the configured time: undefined
   * while it is fresh or still names `digest` (or upstream cannot say), else the new manifest.
   */
  async revalidate(repository: string, tag: string, digest: string) {
    const upstream = upstreamReference(repository, tag);
    if (!upstream) return undefined;
    const checked = this.validated.get(upstream);
    if (checked !== undefined && Date.now() - checked < this.config.tagRevalidateSeconds * 1000)
      return undefined;
    const head = await this.head(upstream);
    if (!head) return undefined;
    this.validated.set(upstream, Date.now());
    if (head.digest === digest) return undefined;
    this.logger.log(`${upstream} moved upstream to ${head.digest}: pulling it`);
    return this.manifest(repository, tag);
  }

  /**
   * referrers asks the upstream for the referrers of `subject` (through the resolver: the
   * referrers API, else its tag schema). An upstream that is down or refuses, or a client over
   * its rate of upstream fetches, gets what the store has: undefined, with a warning.
   */
  async referrers(repository: string, subject: string, artifactType?: string) {
    const upstream = upstreamReference(repository, subject);
    if (!upstream) return undefined;
    if (!this.limiter.take(clientKey()).allowed) {
      this.logger.warn(`referrers of ${upstream}: too many upstream fetches, serving the stored`);
      return undefined;
    }
    try {
      return await this.bus.send<UpstreamReferrersV1>(
        LIST_UPSTREAM_REFERRERS_V1,
        { reference: upstream, ...(artifactType === undefined ? {} : { artifactType }) },
        { timeoutMs: HEAD_TIMEOUT_MS },
      );
    } catch (err) {
      this.logger.warn(
        `referrers of ${upstream} failed upstream, serving the stored: ${String(err)}`,
      );
      return undefined;
    }
  }

  /** landing finds the pull of this replica that brings `digest`, and when it lands. */
  private landing(digest: string): { flight: PullFlight; landed: Promise<void> } | undefined {
    for (const flight of this.flights.values()) {
      const landed = flight.waitFor(digest);
      if (landed) return { flight, landed };
    }
    return undefined;
  }

  /** The registry's own content use-case, which calls this hook: looked up late, not injected. */
  private content(): ServeContentUseCase {
    return this.modules.get(ServeContentUseCase, { strict: false });
  }

  onApplicationShutdown(): void {
    for (const flight of this.flights.values()) flight.close();
  }

  private start(upstream: string): PullFlight {
    const decision = this.limiter.take(clientKey());
    if (!decision.allowed) {
      throw new RegistryError(
        429,
        'TOOMANYREQUESTS',
        'too many upstream fetches; retry later',
        null,
        {
          'retry-after': String(decision.retryAfterSeconds),
        },
      );
    }
    const events = this.bus.stream<PullEventV1>(
      PULL_IMAGE_V1,
      { reference: upstream },
      { timeoutMs: PULL_IDLE_TIMEOUT_MS },
    );
    const flight = new PullFlight(events);
    this.flights.set(upstream, flight);
    const forget = () => {
      if (this.flights.get(upstream) === flight) this.flights.delete(upstream);
    };
    flight.done.then(forget, (err: unknown) => {
      forget();
      this.logger.warn(`pull-through of ${upstream} failed: ${String(err)}`);
    });
    return flight;
  }

  private async head(upstream: string): Promise<ManifestHeadV1 | undefined> {
    try {
      return await this.bus.send<ManifestHeadV1>(
        HEAD_MANIFEST_V1,
        { reference: upstream },
        { timeoutMs: HEAD_TIMEOUT_MS },
      );
    } catch (err) {
      // Upstream down or gone: serve what the store has, as a mirror should.
      this.logger.warn(`revalidating ${upstream} failed, serving the cached tag: ${String(err)}`);
      return undefined;
    }
  }

  /** pollStore waits for a blob another replica's pull brings, up to `blob-wait-seconds`. */
  private async pollStore(digest: Digest): Promise<boolean> {
    const deadline = Date.now() + this.config.blobWaitSeconds * 1000;
    while (Date.now() < deadline) {
      if (await this.store.stat(digest)) return true;
      await new Promise((resolve) => setTimeout(resolve, STORE_POLL_MS));
    }
    return false;
  }
}

/**
 * whileLanding serves a blob a pull of this replica brings before it landed: a HEAD at once (its
 * size is the descriptor's), a GET or a range streamed from the ingest as it is written (a range's
 * follower starts at its first byte and stops after its last). Only the blob's own last bytes
 * wait for the ingest's verified commit, as for a whole GET; a pull that already failed fails it.
 */
async function whileLanding(
  store: Required<Pick<BlobStore, 'follow'>>,
  blob: BlobRef,
  { flight, landed }: { flight: PullFlight; landed: Promise<void> },
  options: { head: boolean; range?: { start: number; end?: number } },
): Promise<ServedBlob | undefined> {
  const { size } = blob;
  const range = options.range && satisfiedRange(size, options.range);
  if (options.head) {
    // Listed first, an already failed landing settles the race before the resolved promise does.
    await Promise.race([landed, Promise.resolve()]);
    return range ? { size, range } : { size };
  }
  const started = flight.started(blob.digest.toString());
  const stream = await followLanding(store, blob, landed, { offset: range?.start ?? 0, started });
  if (!stream) return undefined;
  if (!range) return { size, stream };
  return { size, range, stream: firstBytes(stream, range.end - range.start + 1) };
}
