import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ContentLeaseV1,
  LEASE_CONTENT_V1,
  LeaseContentV1,
  RELEASE_CONTENT_V1,
} from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { Bus } from './bus';

/** HeldContent is content this process protects from garbage collection until it releases it. */
export interface HeldContent {
  /** The holder name the leases are kept under (for logs). */
  readonly holder: string;
  /**
   * True once a renewal found the lease lapsed and a collector at work on some of the digests
   * (this process stalled past the ttl): that content may be gone, so check it again.
   */
  readonly lost: boolean;
  /** Stops renewing and drops the leases; what was held is collectable again. Never throws. */
  release(): Promise<void>;
}

/** ContentLeasesOptions tune {@link ContentLeases}; the defaults suit pulls and loads. */
export interface ContentLeasesOptions {
  /** How long a lease outlives a silent holder (ms); renewed every third of it. Default 30 s. */
  ttlMs?: number;
  /** How long {@link ContentLeases.hold} waits for a collection to finish (ms). Default 60 s. */
  waitLimitMs?: number;
}

/** Injection token of {@link ContentLeasesOptions}, optional. */
export const CONTENT_LEASES_OPTIONS = Symbol('ContentLeasesOptions');

const FIRST_WAIT_MS = 25;
const MAX_WAIT_MS = 1_000;

/**
 * ContentLeases is the client of the holders of content: whoever relies on blobs that no image
 * record references yet (a pull between resolving and recording, a load between staging and
 * recording) holds them, and the garbage collector leaves them alone. The way to use it:
 * hold the digests, then check (and fetch or write) what is missing, record the image, release.
 * Content that was present before the hold is only safe to rely on once the hold is taken.
 */
@Injectable()
export class ContentLeases {
  private readonly logger = new Logger(ContentLeases.name);
  private readonly prefix = `${hostname()}/${process.pid}`;
  private readonly ttlMs: number;
  private readonly waitLimitMs: number;

  constructor(
    private readonly bus: Bus,
    @Optional() @Inject(CONTENT_LEASES_OPTIONS) options: ContentLeasesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.waitLimitMs = options.waitLimitMs ?? 60_000;
  }

  /**
   * hold leases every digest of `digests` and keeps the lease alive until released. While a
   * collector is deleting some of them it waits (a short back-off: collection is quick), then
   * takes them — the collector may have deleted some, which is why holders check after holding.
   * UNAVAILABLE when the collection outlasts the wait limit.
   */
  async hold(digests: readonly string[]): Promise<HeldContent> {
    const request: LeaseContentV1 = {
      holder: `${this.prefix}/${randomUUID()}`,
      digests: [...new Set(digests)],
      ttlMs: this.ttlMs,
    };
    await this.acquire(request);
    return this.keep(request);
  }

  private async acquire(request: LeaseContentV1): Promise<void> {
    const deadline = Date.now() + this.waitLimitMs;
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, MAX_WAIT_MS)) {
      const lease = await this.bus.send<ContentLeaseV1>(LEASE_CONTENT_V1, request);
      if (lease.acquired) return;
      if (Date.now() + wait > deadline) {
        throw new DomainError(
          'UNAVAILABLE',
          `content is still being garbage-collected: ${lease.collecting.join(', ')}`,
        );
      }
      await sleep(wait);
    }
  }

  private keep(request: LeaseContentV1): HeldContent {
    let lost = false;
    const renew = () =>
      this.bus.send<ContentLeaseV1>(LEASE_CONTENT_V1, request).then(
        (lease) => {
          if (lease.acquired) return;
          lost = true;
          this.logger.warn({ msg: 'a content lease lapsed', holder: request.holder });
        },
        // A failed renewal is retried at the next tick; the ttl leaves room for two misses.
        () => undefined,
      );
    const timer = setInterval(renew, this.ttlMs / 3);
    timer.unref();
    return {
      holder: request.holder,
      get lost() {
        return lost;
      },
      release: async () => {
        clearInterval(timer);
        // A release that does not arrive only keeps the content until the lease expires.
        await this.bus.send(RELEASE_CONTENT_V1, { holder: request.holder }).catch(() => undefined);
      },
    };
  }
}
