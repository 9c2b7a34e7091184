import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { Digest, DomainError } from '@stevedore/domain';
import { HeldLease, LeaseKeeper } from './lease-keeper';

const WAIT_POLL_MS = 250;
const WAIT_LIMIT_MS = 30 * 60_000;

/**
 * BlobLeases gives one fetcher at a time, across every replica, the right to download a blob: a
 * lease per digest kept in metadata, with an expiry the holder keeps pushing forward. A fetcher
 * that does not get the lease waits until the blob is committed (then it has nothing to do) or
 * the lease is free again — its holder finished, failed, or died and let it expire.
 */
@Injectable()
export class BlobLeases {
  constructor(
    private readonly leases: LeaseKeeper,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  /** hold waits for the lease on `digest`; undefined when the blob got committed meanwhile. */
  async hold(digest: Digest): Promise<HeldLease | undefined> {
    const key = `blob:${digest}`;
    for (
      const deadline = Date.now() + WAIT_LIMIT_MS;
      Date.now() < deadline;
      await sleep(WAIT_POLL_MS)
    ) {
      if (await this.store.stat(digest)) return undefined;
      const lease = await this.leases.acquire(key);
      if (!lease.acquired) continue;
      // The previous holder may have committed right before it let go.
      if (await this.store.stat(digest)) return void (await this.leases.release(key));
      return this.leases.keep(key);
    }
    throw new DomainError(
      'UNAVAILABLE',
      `gave up waiting for another fetcher's download of ${digest}`,
    );
  }
}
