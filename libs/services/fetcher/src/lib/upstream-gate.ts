import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ACQUIRE_LEASE_V1,
  ACQUIRE_SLOT_V1,
  GET_LEASE_V1,
  LeaseStateV1,
  SlotV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import {
  RateLimitSignal,
  RateLimitSignals,
  UPSTREAM_CONCURRENCY,
} from '@stevedore/registry-client';
import { HeldLease, LEASE_TTL_MS, LeaseKeeper } from './lease-keeper';

const SLOT_POLL_MS = 200;
/** The longest single wait on a shared back-off before looking again (it may be lifted or extended). */
const BACKOFF_STEP_MS = 5_000;
const BACKOFF_HOLDER = 'rate-limit';

/**
 * UpstreamGate makes all fetcher replicas behave as one client towards each registry: at most
 * `max-concurrent-downloads` blob downloads at once (slots leased in metadata), and when one
 * replica is told to slow down (429 with Retry-After, or RateLimit-Remaining: 0) every replica
 * waits it out before starting another download there.
 */
@Injectable()
export class UpstreamGate implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UpstreamGate.name);
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly leases: LeaseKeeper,
    private readonly signals: RateLimitSignals,
    @Inject(UPSTREAM_CONCURRENCY) private readonly limit: number,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.signals.subscribe((signal) => void this.backOff(signal));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** enter waits out any shared back-off on `registry`, then takes one of its download slots. */
  async enter(registry: string): Promise<HeldLease> {
    const holder = `${this.leases.holder}/${randomUUID().slice(0, 8)}`;
    for (;;) {
      const backoff = await this.bus.send<LeaseStateV1>(GET_LEASE_V1, {
        key: `backoff:${registry}`,
      });
      const wait = backoff.expiresAt ? Date.parse(backoff.expiresAt) - Date.now() : 0;
      if (wait > 0) {
        await sleep(Math.min(wait, BACKOFF_STEP_MS));
        continue;
      }
      const slot = await this.bus.send<SlotV1>(ACQUIRE_SLOT_V1, {
        scope: `upstream:${registry}`,
        holder,
        limit: this.limit,
        ttlMs: LEASE_TTL_MS,
      });
      if (slot.acquired && slot.key) return this.leases.keep(slot.key, holder);
      await sleep(SLOT_POLL_MS);
    }
  }

  private async backOff(signal: RateLimitSignal): Promise<void> {
    this.logger.warn({
      msg: 'registry asked to slow down; pausing every fetcher',
      registry: signal.host,
      retryAfterMs: signal.retryAfterMs,
    });
    const ttlMs = Math.min(600_000, Math.max(1000, signal.retryAfterMs));
    await this.bus
      .send(ACQUIRE_LEASE_V1, { key: `backoff:${signal.host}`, holder: BACKOFF_HOLDER, ttlMs })
      .catch(() => undefined);
  }
}
