import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Digest } from '@stevedore/domain';
import { RateLimitSignals, UPSTREAM_CONCURRENCY } from '@stevedore/registry-client';
import { DownloadGate, DownloadPermit, backoffMs } from './download-gate';

/** The longest single sleep on a back-off before looking again (a later 429 may extend it). */
const BACKOFF_STEP_MS = 5_000;

/**
 * LocalDownloadGate is the {@link DownloadGate} of a process that runs every fetcher there is
 * (the embedded topology): the same rules as across replicas, kept in memory, so a download costs
 * no message at all. Nothing survives the process, and nothing needs to: its downloads die with it.
 */
@Injectable()
export class LocalDownloadGate implements DownloadGate, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LocalDownloadGate.name);
  /** Downloads in flight by digest, each settled when its permit is released. */
  private readonly downloading = new Map<string, Promise<void>>();
  private readonly slots = new Map<string, Slots>();
  /** When each registry's back-off ends (epoch ms). */
  private readonly backoffUntil = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly signals: RateLimitSignals,
    @Inject(UPSTREAM_CONCURRENCY) private readonly limit: number,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.signals.subscribe((signal) => {
      this.logger.warn({
        msg: 'registry asked to slow down; pausing its downloads',
        registry: signal.host,
        retryAfterMs: signal.retryAfterMs,
      });
      const until = Date.now() + backoffMs(signal.retryAfterMs);
      this.backoffUntil.set(signal.host, Math.max(until, this.backoffUntil.get(signal.host) ?? 0));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async enter(digest: Digest, registry: string): Promise<DownloadPermit> {
    const releaseBlob = await this.lockBlob(digest.toString());
    try {
      await this.waitOutBackoff(registry);
      const releaseSlot = await this.slotsOf(registry).take();
      return {
        release: async () => {
          releaseSlot();
          releaseBlob();
        },
      };
    } catch (err) {
      releaseBlob();
      throw err;
    }
  }

  private async lockBlob(digest: string): Promise<() => void> {
    for (let held = this.downloading.get(digest); held; held = this.downloading.get(digest))
      await held;
    let settle = (): void => undefined;
    this.downloading.set(digest, new Promise<void>((resolve) => (settle = resolve)));
    return () => {
      this.downloading.delete(digest);
      settle();
    };
  }

  private async waitOutBackoff(registry: string): Promise<void> {
    for (
      let wait = (this.backoffUntil.get(registry) ?? 0) - Date.now();
      wait > 0;
      wait = (this.backoffUntil.get(registry) ?? 0) - Date.now()
    )
      await sleep(Math.min(wait, BACKOFF_STEP_MS));
  }

  private slotsOf(registry: string): Slots {
    let slots = this.slots.get(registry);
    if (!slots) this.slots.set(registry, (slots = new Slots(this.limit)));
    return slots;
  }
}

/** Slots is a counting semaphore: at most `limit` holders, the others wait their turn in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = limit;
  }

  async take(): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }
}
