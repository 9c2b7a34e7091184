import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACQUIRE_LEASE_V1, BLOB_STORE, BlobStore, LeaseV1, RELEASE_LEASE_V1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/** A lease outlives its holder by at most this long; the holder renews it every third of it. */
const LEASE_TTL_MS = 15_000;
const WAIT_POLL_MS = 250;
const WAIT_LIMIT_MS = 30 * 60_000;

/** HeldLease is a lease this process holds and renews until it releases it. */
export interface HeldLease {
  release(): Promise<void>;
}

/**
 * BlobLeases gives one fetcher at a time, across every replica, the right to download a blob: a
 * lease per digest kept in metadata, with an expiry the holder keeps pushing forward. A fetcher
 * that does not get the lease waits until the blob is committed (then it has nothing to do) or
 * the lease is free again — its holder finished, failed, or died and let it expire.
 */
@Injectable()
export class BlobLeases {
  private readonly logger = new Logger(BlobLeases.name);
  private readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  /** hold waits for the lease on `digest`; undefined when the blob got committed meanwhile. */
  async hold(digest: string): Promise<HeldLease | undefined> {
    const key = `blob:${digest}`;
    for (const deadline = Date.now() + WAIT_LIMIT_MS; Date.now() < deadline; await sleep(WAIT_POLL_MS)) {
      if (await this.store.stat(digest)) return undefined;
      const lease = await this.acquire(key);
      if (!lease.acquired) continue;
      // The previous holder may have committed right before it let go.
      if (await this.store.stat(digest)) return void (await this.release(key));
      return this.renewing(key);
    }
    throw new DomainError('UNAVAILABLE', `gave up waiting for another fetcher's download of ${digest}`);
  }

  private renewing(key: string): HeldLease {
    const timer = setInterval(() => {
      this.acquire(key).then(
        (lease) => lease.acquired || this.logger.warn({ msg: 'lost a blob lease', key, holder: lease.holder }),
        () => undefined,
      );
    }, LEASE_TTL_MS / 3);
    return {
      release: async () => {
        clearInterval(timer);
        await this.release(key);
      },
    };
  }

  private acquire(key: string): Promise<LeaseV1> {
    return this.bus.send<LeaseV1>(ACQUIRE_LEASE_V1, { key, holder: this.holder, ttlMs: LEASE_TTL_MS });
  }

  private async release(key: string): Promise<void> {
    // A release that does not arrive only delays the others by the lease's expiry.
    await this.bus.send(RELEASE_LEASE_V1, { key, holder: this.holder }).catch(() => undefined);
  }
}
