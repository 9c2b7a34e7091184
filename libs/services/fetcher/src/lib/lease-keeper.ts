import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ACQUIRE_LEASE_V1, LeaseV1, RELEASE_LEASE_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';

/** A lease outlives a dead holder by at most this long; a live holder renews it every third of it. */
export const LEASE_TTL_MS = 15_000;

/** HeldLease is a lease this process holds and renews until it releases it. */
export interface HeldLease {
  release(): Promise<void>;
}

/** LeaseKeeper takes, renews and gives back leases in metadata on behalf of this process. */
@Injectable()
export class LeaseKeeper {
  private readonly logger = new Logger(LeaseKeeper.name);
  /** Who this process is to the lease table. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(private readonly bus: Bus) {}

  acquire(key: string, holder = this.holder): Promise<LeaseV1> {
    return this.bus.send<LeaseV1>(ACQUIRE_LEASE_V1, { key, holder, ttlMs: LEASE_TTL_MS });
  }

  /** keep renews a lease just taken until the returned handle releases it. */
  keep(key: string, holder = this.holder): HeldLease {
    const timer = setInterval(() => {
      this.acquire(key, holder).then(
        (lease) =>
          lease.acquired || this.logger.warn({ msg: 'lost a lease', key, holder: lease.holder }),
        () => undefined,
      );
    }, LEASE_TTL_MS / 3);
    return {
      release: async () => {
        clearInterval(timer);
        await this.release(key, holder);
      },
    };
  }

  async release(key: string, holder = this.holder): Promise<void> {
    // A release that does not arrive only delays the others by the lease's expiry.
    await this.bus.send(RELEASE_LEASE_V1, { key, holder }).catch(() => undefined);
  }
}
